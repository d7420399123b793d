package bank.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The packaged service ({@code service/target/bank-service.jar server service/config.yml}) as a process, on free
 * ports and a database of its own next to {@code TEST_DATABASE_URL}, configured through its environment as compose
 * configures it; and an API client made with its {@code clients create} command, as an integrator gets one. Its
 * console output goes to {@code target/service-logs}.
 */
final class RunningService implements BeforeAllCallback, AfterAllCallback {

    private static final String SERVER_URL = env("TEST_DATABASE_URL", "jdbc:postgresql://localhost:5432/bank_test");
    private static final String USER = env("TEST_DATABASE_USER", "bank");
    private static final String PASSWORD = env("TEST_DATABASE_PASSWORD", "bank");
    private static final Path JAR = Path.of(System.getProperty("bank.service.jar", "../service/target/bank-service.jar"));
    private static final Path CONFIG = Path.of(System.getProperty("bank.service.config", "../service/config.yml"));

    private final List<String> scopes;
    private String database;
    private Map<String, String> environment;
    private Process process;
    private Path log;
    private int port;
    private String key;

    /** @param scopes the scopes of the client whose key the tests send */
    RunningService(String... scopes) {
        this.scopes = List.of(scopes);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        assertThat(JAR).as("the packaged service; build it first (./mvnw install -DskipTests)").exists();
        database = "bank_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        admin("CREATE DATABASE " + database);
        port = freePort();
        int adminPort = freePort();
        environment = Map.of("DATABASE_URL", SERVER_URL.substring(0, SERVER_URL.lastIndexOf('/') + 1) + database,
                "DATABASE_USER", USER, "DATABASE_PASSWORD", PASSWORD, "PORT", Integer.toString(port),
                "ADMIN_PORT", Integer.toString(adminPort), "LOKI_URL", "");
        log = Files.createDirectories(Path.of("target/service-logs"))
                .resolve(context.getRequiredTestClass().getSimpleName() + ".log");
        process = command("server").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitHealthy(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"));
        key = createClient(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (database != null) {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** The root of the API, to which the document's paths are relative. */
    URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The key of the client made for the tests, which has the scopes given to the constructor. */
    String key() {
        return key;
    }

    private ProcessBuilder command(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        command.add(CONFIG.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder;
    }

    private void awaitHealthy(URI healthCheck) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Awaitility.await("the service healthy").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(process.isAlive()).as("the service is running; its log:%n%s", output()).isTrue();
                    try {
                        return http.send(HttpRequest.newBuilder(healthCheck).timeout(Duration.ofSeconds(2)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    /** Runs {@code clients create} as the API guide shows, and returns the key it prints. */
    private String createClient(String name) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("clients", "create", "--name", name));
        scopes.forEach(scope -> arguments.addAll(List.of("--scope", scope)));
        Process clients = command(arguments.toArray(String[]::new)).redirectErrorStream(true).start();
        String output = new String(clients.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(clients.waitFor(2, TimeUnit.MINUTES)).as(output).isTrue();
        assertThat(clients.exitValue()).as(output).isZero();
        return output.lines().map(String::strip).filter(line -> line.startsWith("bank_sk_")).findFirst()
                .orElseThrow(() -> new AssertionError("clients create printed no key:\n" + output));
    }

    private String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER_URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
