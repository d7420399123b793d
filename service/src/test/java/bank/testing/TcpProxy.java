package bank.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TCP relay between the service and the real PostgreSQL that a test can cut: {@link #cut()} drops every open
 * connection and refuses new ones, as a database host that has gone away does; {@link #restore()} accepts again
 * on the same port. The database stays real; only the network between the two is under the test's control.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService relays = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "tcp-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private ServerSocket listener;
    private Future<?> accepting;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = listen(FreePorts.take());
        this.port = listener.getLocalPort();
        startAccepting();
    }

    /** A relay to the test PostgreSQL server ({@code TEST_DATABASE_URL}). */
    public static TcpProxy toTestDatabaseServer() {
        return toDatabaseOf(TestDatabase.serverUrl());
    }

    /** A relay to the host and port of a {@code jdbc:postgresql://host:port/name} URL. */
    public static TcpProxy toDatabaseOf(String jdbcUrl) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        try {
            return new TcpProxy(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same JDBC URL, pointing at this relay instead of the server. */
    public String relayed(String jdbcUrl) {
        return jdbcUrl.replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/");
    }

    /** Closes every relayed connection and stops listening: new connections are refused. */
    public synchronized void cut() throws IOException {
        listener.close();
        // A socket closed while a thread is blocked in its accept() keeps listening until that thread has left the
        // call: restore() right after would find the port still taken ("Address already in use").
        try {
            accepting.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the relay did not stop accepting on port " + port, e);
        }
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
    }

    /** Listens again, on the same port. */
    public synchronized void restore() throws IOException {
        if (listener.isClosed()) {
            listener = listen(port);
            startAccepting();
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        relays.shutdownNow();
    }

    private void startAccepting() {
        ServerSocket current = listener;
        accepting = relays.submit(() -> accept(current));
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closedByCut) {
                return;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 5_000);
            } catch (IOException refused) {
                close(client);
                close(upstream);
                continue;
            }
            open.add(client);
            open.add(upstream);
            relays.execute(() -> pipe(client, upstream));
            relays.execute(() -> pipe(upstream, client));
        }
    }

    private void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException connectionClosed) {
            // Either side went away, or cut() closed them: the other direction ends the same way.
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }
}
