package bank.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The packaged service ({@code target/bank-service.jar server config.yml}) as a process of its own, configured
 * through its environment as compose configures it, with its console output in {@code target/service-logs}.
 * For what only a real process shows: waiting for a database, several instances starting at once, a SIGKILL and
 * a start on the same ports after it.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target/bank-service.jar");
    /** Every instance bootstraps this key (every scope), so that clients of any instance on one database share it. */
    public static final String API_KEY = "service-process-bootstrap-key-for-the-tests-0000";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProcessBuilder builder;
    private final Path log;
    private final int port;
    private final int adminPort;
    private Process process;
    private long launchedAt;

    private ServiceProcess(ProcessBuilder builder, Path log, int port, int adminPort) throws IOException {
        this.builder = builder;
        this.log = log;
        this.port = port;
        this.adminPort = adminPort;
        launch();
    }

    /**
     * Starts the service with {@code databaseUrl} and the test database's credentials, on free ports.
     *
     * @param environment further variables of config.yml, such as {@code DB_STARTUP_TIMEOUT}
     */
    public static ServiceProcess start(String name, String databaseUrl, Map<String, String> environment) {
        return run(name, "server", databaseUrl, environment);
    }

    /** Another command of the jar with config.yml ({@code migrate}, say), configured as the server is. */
    public static ServiceProcess run(String name, String command, String databaseUrl, Map<String, String> environment) {
        return start(name, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), command, "config.yml"), databaseUrl, environment);
    }

    /** As {@link #start(String, String, Map)}, with a command line of its own (which must run the same jar). */
    public static ServiceProcess start(String name, List<String> command, String databaseUrl, Map<String, String> environment) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the integration tests with"
                    + " ./mvnw verify, which packages the service first");
        }
        try {
            Path log = Files.createDirectories(Path.of("target/service-logs")).resolve(name + ".log");
            int port = FreePorts.take();
            int adminPort = FreePorts.take();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("DATABASE_URL", databaseUrl);
            env.put("DATABASE_USER", TestDatabase.USER);
            env.put("DATABASE_PASSWORD", TestDatabase.PASSWORD);
            env.put("PORT", Integer.toString(port));
            env.put("ADMIN_PORT", Integer.toString(adminPort));
            env.put("LOKI_URL", "");
            env.put("BANK_BOOTSTRAP_API_KEY", API_KEY);
            // The tests that run processes are about faults and start-up, not about the rate limit.
            env.put("API_RATE_LIMIT_PER_SECOND", "100000");
            env.put("API_RATE_LIMIT_BURST", "100000");
            env.putAll(environment);
            return new ServiceProcess(builder, log, port, adminPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() throws IOException {
        launchedAt = System.nanoTime();
        process = builder.start();
        // A start after a kill appends to the same log.
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    /** SIGKILL: no shutdown hook, no graceful stop; open requests and transactions are cut off. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the service survived SIGKILL");
        }
    }

    /** Starts the service again, on the same ports, after {@link #kill()}. */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #awaitHealthy(Duration)} with room for a JVM start on a busy machine. */
    public Duration awaitHealthy() {
        return awaitHealthy(Duration.ofMinutes(2));
    }

    /**
     * Waits until the health check answers 200, failing at once if the process exits.
     *
     * @return how long the start took, from launching the JVM
     */
    public Duration awaitHealthy(Duration limit) {
        Awaitility.await("the service healthy").atMost(limit).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(process.isAlive()).as("the service is running; its log:%n%s", output()).isTrue();
            return healthy();
        });
        return Duration.ofNanos(System.nanoTime() - launchedAt);
    }

    /** An address of the API. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Live threads of the JVM and of Jetty's request pool, from the admin port's Dropwizard metrics. */
    public record Threads(int jvm, int jetty) {
    }

    public Threads threads() throws IOException, InterruptedException {
        JsonNode gauges = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                + "/metrics")).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).body())
                .path("gauges");
        return new Threads(gauges.path("jvm.threads.count").path("value").asInt(-1),
                gauges.path("org.eclipse.jetty.util.thread.QueuedThreadPool.dw.size").path("value").asInt(-1));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status, once the process has ended within {@code timeout}; fails the test otherwise. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the service was still running after " + timeout.toSeconds() + " s; log:\n" + output());
        }
        return process.exitValue();
    }

    /** Whether the admin port's health check answers 200: the service has started and its database is healthy. */
    public boolean healthy() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                    + "/healthcheck")).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Everything the service has written to its console so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public List<String> lines() {
        return output().lines().toList();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

}
