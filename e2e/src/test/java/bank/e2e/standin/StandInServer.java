package bank.e2e.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * An HTTP endpoint on loopback that decodes one real wire protocol, standing in for a backend that cannot run
 * on this machine. It can be stopped and started again on the same port, so that the suite can take the
 * backend away (connections refused) and bring it back.
 */
abstract class StandInServer implements AutoCloseable {

    private final String path;
    private volatile int refusingWith;
    private int port;
    private HttpServer server;

    StandInServer(String path) {
        this.path = path;
    }

    public final synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + port, e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext(path, exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("POST")) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                byte[] body = body(exchange);
                if (refusingWith != 0) {
                    exchange.sendResponseHeaders(refusingWith, -1);
                    return;
                }
                int status = accept(exchange.getRequestHeaders().getFirst("Content-Type"), body);
                byte[] reply = reply();
                exchange.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
                if (reply.length > 0) {
                    exchange.getResponseBody().write(reply);
                }
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
                throw e;
            }
        });
        server.start();
        port = server.getAddress().getPort();
    }

    /** Stops listening: from now on, connections to the port are refused. */
    public final synchronized void stop() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    /**
     * Answers every request with this error status, discarding what it carries, as a backend over its limits
     * does; 0 accepts again.
     */
    public final void refuseWith(int status) {
        refusingWith = status;
    }

    public final synchronized int port() {
        return port;
    }

    @Override
    public void close() {
        stop();
    }

    /** @return the HTTP status to answer */
    abstract int accept(String contentType, byte[] body);

    byte[] reply() {
        return new byte[0];
    }

    private static byte[] body(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                return gzip.readAllBytes();
            }
        }
        return raw;
    }
}
