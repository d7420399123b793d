package bank.e2e.stack;

import bank.e2e.standin.LokiStandIn;
import bank.e2e.standin.TempoStandIn;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The compose stack, run as local processes with real binaries wherever they exist here:
 * <ul>
 *   <li>the service jar under the real OpenTelemetry Java agent and the bank's agent extension, with the
 *       environment of the compose {@code api} service, and the traffic generator as the {@code traffic}
 *       service runs it;</li>
 *   <li>the ocb-built Collector with the repository's otel-collector.yaml;</li>
 *   <li>Prometheus with the repository's prometheus.yml and rules, and the flags compose gives it;</li>
 *   <li>postgres_exporter against a fresh database on the local PostgreSQL;</li>
 *   <li>stand-ins that decode Tempo's OTLP and Loki's push API, which cannot run here.</li>
 * </ul>
 * Compose host names become 127.0.0.1 and free ports; nothing else in the files is changed. Started once per
 * test JVM and shared by the test classes.
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static LocalStack instance;

    private final Path root = Repository.root();
    private final Path work;
    private final Path logs;
    private Instant serviceHealthyAt;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final String databaseName = "bank_e2e_" + runId;
    // The roles postgres/init creates, named for this run: roles belong to the whole server, not one database.
    private final String readerRole = "grafana_reader_" + runId;
    private final String exporterRole = "postgres_exporter_" + runId;
    private final Map<String, String> rolePasswords = Map.of(
            "GRAFANA_READER_PASSWORD", "reader-" + runId, "POSTGRES_EXPORTER_PASSWORD", "exporter-" + runId);
    private final Map<String, Integer> ports = new HashMap<>();
    private final List<AutoCloseable> started = new ArrayList<>();
    private final TempoStandIn tempo = new TempoStandIn();
    private final LokiStandIn loki = new LokiStandIn();
    private ManagedProcess collector;
    private String collectorBinary;

    private LocalStack() throws IOException {
        work = Files.createDirectories(root.resolve("e2e/target/stack"));
        logs = Repository.logs();
    }

    public static synchronized LocalStack get() {
        if (instance == null) {
            try {
                LocalStack stack = new LocalStack();
                Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
                stack.start();
                instance = stack;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    private void start() throws IOException {
        collectorBinary = Repository.tool("build-otelcol.sh");
        String prometheusDir = Repository.tool("build-prometheus.sh");
        String postgresExporter = Repository.tool("install-postgres-exporter.sh");
        for (String name : List.of("api", "admin", "otlp-grpc", "otlp-http", "collector-exporter",
                "collector-telemetry", "collector-health", "prometheus", "postgres-exporter", "alertmanager")) {
            ports.put(name, freePort());
        }

        createDatabase();
        tempo.start();
        started.add(tempo);
        loki.start();
        started.add(loki);

        Map<String, String> exporterEnv = Map.of("DATA_SOURCE_NAME", "postgresql://" + exporterRole + ":"
                + rolePasswords.get("POSTGRES_EXPORTER_PASSWORD") + "@" + Database.HOST_PORT + "/" + databaseName
                + "?sslmode=disable");
        started.add(ManagedProcess.start("postgres-exporter", List.of(postgresExporter,
                        "--web.listen-address=127.0.0.1:" + ports.get("postgres-exporter")), exporterEnv, root, logs)
                .awaitHttpOk(local("postgres-exporter", "/metrics"), START_TIMEOUT));

        startCollector();
        started.add(startPrometheus(prometheusDir));
        started.add(startService());
        serviceHealthyAt = Instant.now();
        started.add(startTraffic());
    }

    /** Starts the Collector (again, after {@link #stopCollector()}) on the same ports. */
    public synchronized void startCollector() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OTLP_GRPC_ENDPOINT", "127.0.0.1:" + ports.get("otlp-grpc"));
        env.put("OTLP_HTTP_ENDPOINT", "127.0.0.1:" + ports.get("otlp-http"));
        env.put("PROMETHEUS_EXPORTER_ENDPOINT", "127.0.0.1:" + ports.get("collector-exporter"));
        env.put("COLLECTOR_TELEMETRY_HOST", "127.0.0.1");
        env.put("COLLECTOR_TELEMETRY_PORT", Integer.toString(ports.get("collector-telemetry")));
        env.put("HEALTH_CHECK_ENDPOINT", "127.0.0.1:" + ports.get("collector-health"));
        env.put("TEMPO_OTLP_HTTP_ENDPOINT", "http://127.0.0.1:" + tempo.port());
        env.put("POSTGRES_EXPORTER_TARGET", "127.0.0.1:" + ports.get("postgres-exporter"));
        collector = ManagedProcess.start("otel-collector", List.of(collectorBinary, "--config",
                root.resolve("otel-collector.yaml").toString()), env, root, logs)
                .awaitHttpOk(local("collector-health", "/"), START_TIMEOUT);
    }

    /** Stops the Collector: the agent's exports are refused until {@link #startCollector()}. */
    public synchronized void stopCollector() {
        collector.close();
    }

    private ManagedProcess startPrometheus(String binaries) {
        try {
            Path dir = Files.createDirectories(work.resolve("prometheus"));
            String config = Files.readString(root.resolve("prometheus.yml"));
            for (Map.Entry<String, String> target : Map.of(
                    "otel-collector:8889", "collector-exporter",
                    "otel-collector:8888", "collector-telemetry",
                    "localhost:9090", "prometheus",
                    "alertmanager:9093", "alertmanager").entrySet()) {
                config = config.replace("\"" + target.getKey() + "\"", "\"127.0.0.1:" + ports.get(target.getValue()) + "\"");
            }
            Files.writeString(dir.resolve("prometheus.yml"), config);
            Path rules = dir.resolve("prometheus");
            if (!Files.exists(rules)) {
                Files.createSymbolicLink(rules, root.resolve("prometheus"));
            }
            List<String> command = new ArrayList<>(List.of(binaries + "/prometheus"));
            for (String flag : Repository.composeCommand("prometheus")) {
                if (flag.startsWith("--config.file=")) {
                    command.add("--config.file=" + dir.resolve("prometheus.yml"));
                } else if (flag.startsWith("--storage.tsdb.path=")) {
                    command.add("--storage.tsdb.path=" + dir.resolve("data-" + UUID.randomUUID()));
                } else {
                    command.add(flag);
                }
            }
            command.add("--web.listen-address=127.0.0.1:" + ports.get("prometheus"));
            return ManagedProcess.start("prometheus", command, Map.of(), dir, logs)
                    .awaitHttpOk(local("prometheus", "/-/ready"), START_TIMEOUT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ManagedProcess startService() {
        Map<String, String> env = composeEnvironment("api");
        env.put("DATABASE_URL", "jdbc:postgresql://" + Database.HOST_PORT + "/" + databaseName);
        env.put("DATABASE_USER", Database.USER);
        env.put("DATABASE_PASSWORD", Database.PASSWORD);
        env.put("PORT", Integer.toString(ports.get("api")));
        env.put("ADMIN_PORT", Integer.toString(ports.get("admin")));
        // Compose keeps the 60 s default; here the audit's findings must reach Prometheus within the test.
        env.put("LEDGER_AUDIT_INTERVAL", "2s");
        return ManagedProcess.start("bank-api", java("server", root.resolve("service/config.yml").toString()), env, root, logs)
                .awaitHttpOk(local("admin", "/healthcheck"), START_TIMEOUT);
    }

    /** The traffic generator, as the compose traffic service runs it: steady load, so every rate has data. */
    private ManagedProcess startTraffic() {
        return ManagedProcess.start("bank-traffic", java("simulate"), composeEnvironment("traffic"), root, logs);
    }

    /**
     * A compose service's environment with every compose address replaced by the local process that plays
     * that service here.
     */
    private Map<String, String> composeEnvironment(String service) {
        Map<String, String> addresses = Map.of(
                "otel-collector:4318", "127.0.0.1:" + ports.get("otlp-http"),
                "otel-collector:4317", "127.0.0.1:" + ports.get("otlp-grpc"),
                "loki:3100", "127.0.0.1:" + loki.port(),
                "api:8080", "127.0.0.1:" + ports.get("api"));
        Map<String, String> env = new LinkedHashMap<>();
        Repository.composeEnvironment(service).forEach((key, value) -> {
            for (Map.Entry<String, String> address : addresses.entrySet()) {
                value = value.replace("//" + address.getKey(), "//" + address.getValue());
            }
            env.put(key, value);
        });
        return env;
    }

    /** The same command line as the image's ENTRYPOINT in service/Dockerfile, with the given arguments. */
    private List<String> java(String... arguments) {
        Path otel = root.resolve("service/target/otel");
        Path jar = root.resolve("service/target/bank-service.jar");
        if (!Files.exists(jar) || !Files.exists(otel.resolve("opentelemetry-javaagent.jar"))) {
            throw new IllegalStateException("build the service first: ./mvnw package (missing " + jar + ")");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + otel.resolve("opentelemetry-javaagent.jar"),
                "-Dotel.javaagent.extensions=" + otel.resolve("bank-agent-extension.jar"),
                "-jar", jar.toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    public URI api(String path) {
        return local("api", path);
    }

    public URI admin(String path) {
        return local("admin", path);
    }

    public PrometheusClient prometheus() {
        return new PrometheusClient(local("prometheus", "/"));
    }

    public URI collectorMetrics() {
        return local("collector-exporter", "/metrics");
    }

    /** When the service first answered its health check; the traffic generator starts right after. */
    public Instant serviceHealthyAt() {
        return serviceHealthyAt;
    }

    /** The service's database; compose names it {@code bank}, each run here makes its own. */
    public String databaseName() {
        return databaseName;
    }

    /** A connection to the service's database as the service's own user, which can change anything. */
    public Connection databaseConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + Database.HOST_PORT + "/" + databaseName,
                Database.USER, Database.PASSWORD);
    }

    /** A connection as Grafana's PostgreSQL data source makes it: as the reader role postgres/init creates. */
    public Connection grafanaReaderConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + Database.HOST_PORT + "/" + databaseName,
                readerRole, rolePasswords.get("GRAFANA_READER_PASSWORD"));
    }

    public TempoStandIn tempo() {
        return tempo;
    }

    public LokiStandIn loki() {
        return loki;
    }

    public Path logs() {
        return logs;
    }

    private URI local(String port, String path) {
        return URI.create("http://127.0.0.1:" + ports.get(port) + path);
    }

    /**
     * A database for this run, prepared as the postgres image prepares compose's: postgres/init/*.sql run by
     * psql as the bank user, before the service creates its tables. Only the names differ, the roles' and
     * the database's, so that runs never share them.
     */
    private void createDatabase() throws IOException {
        Database.admin("CREATE DATABASE " + databaseName);
        List<Path> scripts;
        try (Stream<Path> files = Files.list(root.resolve("postgres/init"))) {
            scripts = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
        }
        for (Path script : scripts) {
            Path renamed = work.resolve(script.getFileName());
            Files.writeString(renamed, Files.readString(script)
                    .replace("grafana_reader", readerRole)
                    .replace("postgres_exporter", exporterRole)
                    .replace("DATABASE bank", "DATABASE " + databaseName));
            List<String> psql = new ArrayList<>(List.of("env", "PGPASSWORD=" + Database.PASSWORD));
            rolePasswords.forEach((name, value) -> psql.add(name + "=" + value));
            String[] hostPort = Database.HOST_PORT.split(":");
            psql.addAll(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", hostPort[0], "-p",
                    hostPort.length > 1 ? hostPort[1] : "5432", "-U", Database.USER, "-d", databaseName, "-f", renamed.toString()));
            Command.run("postgres-init-" + script.getFileName(), psql, Duration.ofMinutes(1)).assertSucceeded();
        }
    }

    @Override
    public synchronized void close() {
        if (collector != null) {
            collector.close();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("could not stop " + started.get(i) + ": " + e);
            }
        }
        started.clear();
        try {
            Database.admin("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
            Database.admin("DROP ROLE IF EXISTS " + readerRole);
            Database.admin("DROP ROLE IF EXISTS " + exporterRole);
        } catch (IllegalStateException e) {
            System.err.println("could not drop " + databaseName + " or its roles: " + e.getMessage());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The local PostgreSQL, found as the service tests find it (TEST_DATABASE_URL, _USER, _PASSWORD). */
    static final class Database {
        static final String URL = env("TEST_DATABASE_URL", "jdbc:postgresql://localhost:5432/bank_test");
        static final String USER = env("TEST_DATABASE_USER", "bank");
        static final String PASSWORD = env("TEST_DATABASE_PASSWORD", "bank");
        static final String HOST_PORT = URL.replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");

        static void admin(String sql) {
            try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
                connection.createStatement().execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot run " + sql.toLowerCase(Locale.ROOT) + " on " + URL, e);
            }
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }
}
