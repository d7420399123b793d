package bank.logging;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.Await;
import bank.testing.BankApi;
import bank.testing.RawHttp;
import bank.testing.TcpProxy;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.ConfigOverride;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Personal data and line breaks sent through every error path, with the driver's, Jetty's, Jersey's and the
 * service's loggers at TRACE and an operator's log format that prints every value it can: none of it reaches
 * the console or Loki (a stand-in that records what loki4j pushes), and no value starts a line of its own.
 */
class PersonalDataLogIT {

    private static final String FIRST = "Zebedee";
    private static final String LAST = "Quixotic-Vanderbilt";
    private static final String ADDRESS = "77 Hidden Lane";
    private static final String FORGED = "FORGED line";
    private static final String[] SECRETS = {FIRST, LAST, ADDRESS, "Hidden", FORGED};

    private static final List<String> pushed = new ArrayList<>();
    private static final HttpServer loki = lokiStandIn();
    private static final TcpProxy network = TcpProxy.toTestDatabaseServer();
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private static PrintStream originalOut;

    @RegisterExtension
    static final BankApi api = new BankApi(
            ConfigOverride.config("logging.appenders[0].logFormat",
                    "%level [%thread] %logger %mdc %kvp - %msg %m %message%n%ex"),
            ConfigOverride.config("logging.appenders[1].url",
                    "http://127.0.0.1:" + loki.getAddress().getPort() + "/loki/api/v1/push"),
            ConfigOverride.config("logging.appenders[1].logFormat", "%level [%thread] %mdc - %msg%n%ex"),
            ConfigOverride.config("server.applicationConnectors[0].idleTimeout", "2s"),
            ConfigOverride.config("database.properties.options", "-c statement_timeout=5000 -c lock_timeout=300"))
            .through(network);

    @BeforeAll
    static void everythingAtTraceAndTheConsoleCaptured() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        // Everything the service runs on, but not the root: the test's own HTTP client logs what it sends at DEBUG.
        for (String name : new String[] {"bank", "org.postgresql", "org.jdbi", "org.eclipse.jetty", "org.glassfish",
                "io.dropwizard", "com.fasterxml", "org.hibernate", "org.apache.tomcat", "io.swagger"}) {
            context.getLogger(name).setLevel(Level.TRACE);
        }
        originalOut = System.out;
        System.setOut(new PrintStream(new TeeStream(originalOut, console), true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void restore() throws IOException {
        System.setOut(originalOut);
        loki.stop(0);
        network.close();
    }

    @Test
    void noErrorPathLogsPersonalDataOrForgedLines() throws Exception {
        String person = "\"firstName\":\"" + FIRST + "\\n" + FORGED + "\",\"lastName\":\"" + LAST + "\",\"address\":\"" + ADDRESS + "\"";
        String account = api.post("/v1/accounts", Map.of("firstName", FIRST, "lastName", LAST, "address", ADDRESS))
                .expect(201).text("id");
        // Validation (422), an unknown field named after the customer, malformed JSON (400), a duplicate key.
        api.postRaw("/v1/accounts", "{" + person + "}", "application/json").expect(422);
        api.postRaw("/v1/accounts", "{\"firstName\":\"A\",\"lastName\":\"B\",\"" + LAST + "\\n" + FORGED + "\":1}",
                "application/json").expect(422);
        api.postRaw("/v1/accounts", "{" + person + ",", "application/json").expect(400);
        api.postRaw("/v1/accounts", "{" + person + ",\"lastName\":\"" + LAST + "\"}", "application/json").expect(400);
        // Not found (404) with the name in the path and the query string; a line break in the path (400).
        api.get("/v1/accounts/" + FIRST + "?q=" + LAST).expect(404);
        api.get("/v1/accounts/" + FIRST + "%0A" + FORGED.replace(" ", "%20") + "?q=" + LAST).expect(400);
        // A timeout: the body stops arriving halfway (408).
        RawHttp raw = new RawHttp(api.app().getLocalPort(), "Authorization: Bearer " + api.client().key());
        byte[] head = ("POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500"
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(raw.send(List.of(head, ("{" + person).getBytes(StandardCharsets.UTF_8)), 0, false).status())
                .isEqualTo(408);
        // A lock timeout while the statement's bound values are the customer's (503).
        try (Connection holder = api.database().connect()) {
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.execute("SELECT 1 FROM accounts WHERE id = '" + account + "' FOR UPDATE");
            }
            api.postKeyed("/v1/accounts/" + account + "/transactions", Map.of("type", "CREDIT", "amount", 5,
                    "description", ADDRESS + " " + LAST)).expectRetryLater();
            holder.rollback();
        }
        // The database host goes away in the middle of an insert of the customer's name (503).
        network.cut();
        try {
            api.post("/v1/accounts", Map.of("firstName", FIRST, "lastName", LAST, "address", ADDRESS)).expectRetryLater();
        } finally {
            network.restore();
        }

        String consoleText = await(() -> console.toString(StandardCharsets.UTF_8), "status=503");
        String lokiText = await(() -> String.join("\n", lokiLines()), "status=503");
        assertThat(consoleText).contains("route=/v1/accounts status=422", "route=/v1/accounts status=400",
                "route=/v1/accounts/{id} status=404");
        for (String text : List.of(consoleText, lokiText)) {
            assertThat(text).doesNotContain(SECRETS);
            assertThat(text.lines()).noneMatch(line -> line.startsWith(FORGED));
        }
        // The driver logged nothing below WARN, although its logger is at TRACE.
        assertThat(consoleText).doesNotContain("FE=>", "<=BE");
    }

    /** Every log line loki4j pushed, with its structured metadata, one per entry (a line break inside is kept). */
    private static List<String> lokiLines() {
        List<String> lines = new ArrayList<>();
        synchronized (pushed) {
            for (String body : pushed) {
                try {
                    for (JsonNode stream : new ObjectMapper().readTree(body).path("streams")) {
                        for (JsonNode value : stream.path("values")) {
                            lines.add(value.get(1).asText() + " " + value.path(2));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return lines;
    }

    private static String await(Supplier<String> text, String expected) {
        String current = Await.until("log output containing " + expected, Duration.ofSeconds(20), text,
                output -> output.contains(expected));
        assertThat(current).as("log output").contains(expected);
        return current;
    }

    private static HttpServer lokiStandIn() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/loki/api/v1/push", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (pushed) {
                    pushed.add(body);
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes to the real stdout and to a buffer the test reads. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final ByteArrayOutputStream second;

        TeeStream(java.io.OutputStream first, ByteArrayOutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            synchronized (second) {
                second.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            synchronized (second) {
                second.write(b, off, len);
            }
        }
    }
}
