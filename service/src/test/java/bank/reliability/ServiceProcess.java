package bank.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The service as it ships: the packaged jar ({@code target/bank-service.jar}, built by {@code package}, which
 * runs before the integration tests) and {@code config.yml}, started with {@code java -jar ... server} as a child
 * process on free ports, configured through its environment variables only. It can be killed with SIGKILL and
 * started again on the same ports. Its output goes to {@code target/reliability/<name>.log}.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "bank-service.jar");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Map<String, String> environment;
    private final int port = OwnPostgres.freePort();
    private final int adminPort = OwnPostgres.freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private long launchedAt;
    private long startMillis;

    private ServiceProcess(String name, String jdbcUrl, String user, String password) {
        this.name = name;
        this.environment = Map.of("DATABASE_URL", jdbcUrl, "DATABASE_USER", user, "DATABASE_PASSWORD", password,
                "PORT", Integer.toString(port), "ADMIN_PORT", Integer.toString(adminPort), "LOKI_URL", "",
                "DB_MIGRATE_ON_START", "true");
    }

    /** Launches the service; {@link #awaitHealthy()} waits until it serves. */
    static ServiceProcess launch(String name, String jdbcUrl, String user, String password) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException("missing " + JAR.toAbsolutePath() + ": these tests run the packaged "
                    + "service; build it with ./mvnw -pl service -am package (verify does it before the tests)");
        }
        ServiceProcess service = new ServiceProcess(name, jdbcUrl, user, password);
        try {
            Files.deleteIfExists(service.log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::close));
        service.launch();
        return service;
    }

    /** Starts the process again, on the same ports, after {@link #kill()}. */
    synchronized void launch() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                // Warnings and errors only: the request log of a load test would only cost disk and CPU.
                "-Ddw.logging.level=WARN",
                "-jar", JAR.toString(), "server", "config.yml"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        builder.environment().putAll(environment);
        try {
            launchedAt = System.nanoTime();
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the admin health check (which includes the database) answers 200. */
    ServiceProcess awaitHealthy() {
        Awaitility.await(name + " healthy").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log());
                    }
                    return healthStatus() == 200;
                });
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedAt);
        return this;
    }

    /** How long the last start took, from launching the JVM to a healthy health check. */
    long startMillis() {
        return startMillis;
    }

    /** SIGKILL: no shutdown hook, no graceful stop, open requests and transactions cut off. */
    synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL");
        }
    }

    /** Its output, across restarts. */
    Path log() {
        return Figures.directory().resolve(name + ".log");
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * The live threads of the JVM and of Jetty's request pool, from the Dropwizard admin port's metrics
     * ({@code jvm.threads.count} and the {@code dw} QueuedThreadPool's size).
     */
    Threads threads() throws IOException, InterruptedException {
        JsonNode gauges = JSON.readTree(http.send(HttpRequest.newBuilder(adminUri("/metrics")).GET()
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body()).path("gauges");
        return new Threads(gauges.path("jvm.threads.count").path("value").asInt(-1),
                gauges.path("org.eclipse.jetty.util.thread.QueuedThreadPool.dw.size").path("value").asInt(-1));
    }

    record Threads(int jvm, int jetty) {
    }

    private int healthStatus() {
        try {
            return http.send(HttpRequest.newBuilder(adminUri("/healthcheck")).GET().timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
