package bank.e2e.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the processes a test starts. A port from {@code new ServerSocket(0)} lies in the kernel's ephemeral
 * range, so between the moment it is chosen and the moment the child process binds it, any outgoing connection
 * (a scrape, a JDBC connection, a log push) can be given it as its local port, and the child fails with "address
 * already in use". Ports below that range are never handed out that way; one that is free now stays free.
 */
final class FreePorts {
    private static final int SPAN = 10_000;
    private static final Set<Integer> GIVEN = new HashSet<>();

    private FreePorts() {
    }

    /** A port below the ephemeral range that nothing listens on and that this JVM has not given out before. */
    static synchronized int take() {
        int below = ephemeralRangeStart();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = below - SPAN + ThreadLocalRandom.current().nextInt(SPAN);
            if (!GIVEN.contains(port) && bindable(port)) {
                GIVEN.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + (below - SPAN) + " and " + below);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException busy) {
            return false;
        }
    }

    /**
     * The first port of net.ipv4.ip_local_port_range (32768 on Linux unless changed). Read line by line: procfs
     * reports no size, and a read that trusts the size returns a fragment.
     */
    private static int ephemeralRangeStart() {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        if (!Files.exists(range)) {
            return 32768;
        }
        try (BufferedReader reader = Files.newBufferedReader(range)) {
            int start = Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
            if (start < 1024 + SPAN) {
                throw new IllegalStateException("the ephemeral port range starts at " + start
                        + ", leaving no room for test ports below it");
            }
            return start;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
