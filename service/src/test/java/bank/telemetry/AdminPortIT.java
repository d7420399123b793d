package bank.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.util.Collections;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** By default the admin port listens on loopback only and serves no task that changes the running service. */
class AdminPortIT {

    @RegisterExtension
    static final BankApi api = new BankApi();

    @Test
    void theAdminPortListensOnLoopbackOnly() throws IOException {
        ServerConnector admin = connector(api, "admin");
        assertThat(admin.getHost()).isEqualTo("127.0.0.1");

        InetAddress outside = nonLoopbackAddress();
        // The application port answers on that address, so a refusal on the admin port is the binding's doing.
        try (Socket app = new Socket()) {
            app.connect(new InetSocketAddress(outside, api.app().getLocalPort()), 2_000);
        }
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(outside, admin.getLocalPort()), 2_000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void tasksThatChangeTheServiceAreOff() {
        for (String task : new String[] {"/tasks/log-level?logger=org.postgresql&level=TRACE", "/tasks/gc"}) {
            Reply reply = api.send(HttpRequest.newBuilder(api.adminUri(task)).POST(HttpRequest.BodyPublishers.noBody()))
                    .expect(404);
            assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
            assertThat(reply.text("type")).isEqualTo("/problems/not-found");
        }
        assertThat(((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.postgresql")).getLevel())
                .isNull();
        // Health checks stay where they were.
        api.send(HttpRequest.newBuilder(api.adminUri("/healthcheck")).GET()).expect(200);
    }

    static ServerConnector connector(BankApi api, String name) {
        return java.util.Arrays.stream(api.app().getEnvironment().getApplicationContext().getServer().getConnectors())
                .map(ServerConnector.class::cast)
                .filter(connector -> connector.getName().equals(name))
                .findFirst().orElseThrow();
    }

    /** An IPv4 address of this machine other than loopback; the test needs one to tell the bindings apart. */
    private static InetAddress nonLoopbackAddress() throws SocketException {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (network.isUp() && !network.isLoopback()) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address;
                    }
                }
            }
        }
        throw new AssertionError("this test needs a network interface with an IPv4 address besides loopback");
    }
}
