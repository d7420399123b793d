package bank.e2e.stack;

import bank.e2e.standin.LokiStandIn;
import bank.e2e.standin.TempoStandIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose stack, run as local processes with real binaries wherever they exist here:
 * <ul>
 *   <li>the service jar under the real OpenTelemetry Java agent and the bank's agent extension, with the
 *       environment of the compose {@code api} service, after the schema migration run to completion as the
 *       {@code api-migrate} service runs it, and the traffic generator as the {@code traffic} service runs it;</li>
 *   <li>the ocb-built Collector with the repository's otel-collector.yaml;</li>
 *   <li>Prometheus with the repository's prometheus.yml and rules, and the flags compose gives it;</li>
 *   <li>postgres_exporter with the environment compose gives it;</li>
 *   <li>for the tests, stand-ins that decode Tempo's OTLP and Loki's push API, which cannot run here.</li>
 * </ul>
 * Every address and variable comes from docker-compose.yml and the files it mounts: a compose {@code host:port}
 * becomes the local address of the process that plays that service, and the address of a service that does not
 * run here leads nowhere (a scrape job or an alertmanager for it is left out of prometheus.yml). Nothing else in
 * the files is changed.
 *
 * <p>Two layouts. The e2e suite's ({@link #get()}): free ports, a database and roles of its own prepared by
 * postgres/init, stand-ins for Tempo and Loki, started once per test JVM. A developer's ({@link #main}, run by
 * tools/local-stack.sh): compose's published ports on 127.0.0.1, an existing database, logs kept per run.
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** A compose host:port, optionally with a scheme: {@code otel-collector:4318}, {@code http://loki:3100}. */
    private static final Pattern ADDRESS = Pattern.compile("(?<![\\w.-])([a-z][a-z0-9-]*):(\\d{2,5})(?![\\d])");
    private static final Pattern COLLECTOR_VARIABLE = Pattern.compile("\\$\\{env:([A-Z0-9_]+):-([^}]*)}");
    /** Variables a developer may set to point the local stack elsewhere, as docs/configuration.md describes. */
    private static final Set<String> DEVELOPER_OVERRIDES = Set.of("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD",
            "LOKI_URL", "TEMPO_OTLP_HTTP_ENDPOINT");
    private static final int KEPT_RUNS = 10;
    /** Where the image has service/config.yml (service/Dockerfile), as compose commands name it. */
    private static final String IMAGE_CONFIG = "/app/config.yml";
    /** Compose services the e2e suite plays with stand-ins that decode their wire formats but serve no metrics. */
    private static final Set<String> STAND_INS = Set.of("tempo", "loki");
    private static LocalStack instance;

    private final boolean forTests;
    private final boolean withTraffic;
    private final Map<String, String> shell;
    private final Path root = Repository.root();
    private final Path work;
    private final Path logs;
    private Instant serviceHealthyAt;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final String databaseUrl;
    private final String databaseUser;
    private final String databasePassword;
    // The roles postgres/init creates, named for the run: roles belong to the whole server, not one database.
    private final String readerRole = "grafana_reader_" + runId;
    private final String exporterRole = "postgres_exporter_" + runId;
    private final Map<String, String> rolePasswords = Map.of(
            "GRAFANA_READER_PASSWORD", "reader-" + runId, "POSTGRES_EXPORTER_PASSWORD", "exporter-" + runId);
    /** Compose "service:port" to the local address that plays it. */
    private final Map<String, String> addresses = new HashMap<>();
    private final Set<String> running;
    private final List<ManagedProcess> processes = new ArrayList<>();
    private final List<AutoCloseable> started = new ArrayList<>();
    private final TempoStandIn tempo;
    private final LokiStandIn loki;
    private final List<String> leftOut = new ArrayList<>();
    private ManagedProcess collector;
    private String collectorBinary;
    private String prometheusHelp = "";
    /** Set once the stack is being stopped: processes exiting from then on are expected to. */
    private volatile boolean closing;

    private LocalStack(boolean forTests, boolean withTraffic, Map<String, String> shell) throws IOException {
        this.forTests = forTests;
        this.withTraffic = withTraffic;
        this.shell = shell;
        if (forTests) {
            work = Files.createDirectories(root.resolve("e2e/target/stack"));
            logs = Repository.logs();
            tempo = new TempoStandIn();
            loki = new LokiStandIn();
            databaseUrl = compose("api").get("DATABASE_URL").replaceFirst("//[^/]+/[^?]*",
                    "//" + Database.HOST_PORT + "/bank_e2e_" + runId);
            databaseUser = Database.USER;
            databasePassword = Database.PASSWORD;
            running = Set.of("api-migrate", "api", "traffic", "otel-collector", "prometheus", "postgres-exporter", "postgres",
                    "tempo", "loki");
        } else {
            work = Files.createDirectories(Path.of(System.getProperty("user.home"), ".cache/observable-bank/local-stack"));
            logs = runLogs(work.resolve("logs"));
            tempo = null;
            loki = null;
            Map<String, String> api = compose("api");
            databaseUrl = override("DATABASE_URL", api.get("DATABASE_URL").replace("//postgres:5432/", "//localhost:5432/"));
            databaseUser = override("DATABASE_USER", api.get("DATABASE_USER"));
            databasePassword = override("DATABASE_PASSWORD", api.get("DATABASE_PASSWORD"));
            running = withTraffic
                    ? Set.of("api-migrate", "api", "traffic", "otel-collector", "prometheus", "postgres-exporter", "postgres")
                    : Set.of("api-migrate", "api", "otel-collector", "prometheus", "postgres-exporter", "postgres");
        }
    }

    /** The e2e suite's stack, started on first use and shared by the test classes of one JVM. */
    public static synchronized LocalStack get() {
        if (instance == null) {
            try {
                LocalStack stack = new LocalStack(true, true, Map.of());
                Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
                stack.start();
                instance = stack;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /**
     * A developer's stack on compose's ports of 127.0.0.1, until Ctrl-C or until one of its processes exits.
     * tools/local-stack.sh runs it; {@code --traffic} adds the traffic generator.
     */
    public static void main(String[] args) throws Exception {
        boolean traffic = List.of(args).contains("--traffic");
        if (args.length > (traffic ? 1 : 0)) {
            System.err.println("usage: tools/local-stack.sh [--traffic]");
            System.exit(2);
        }
        LocalStack stack = new LocalStack(false, traffic, System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            System.err.println("local-stack: stopped; logs are in " + stack.logs);
        }));
        try {
            stack.start();
        } catch (RuntimeException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.exit(1);
        }
        System.out.println(stack.summary());
        List<ManagedProcess> watched = new ArrayList<>(stack.processes);
        watched.add(stack.collector);
        while (true) {
            for (ManagedProcess process : watched) {
                if (!process.isAlive() && !stack.closing) {
                    System.err.println("local-stack: " + process.name() + " exited; last lines of its log:\n" + process.tail());
                    System.exit(1);
                }
            }
            Thread.sleep(1000); // how often to look for a process that has exited
        }
    }

    private void start() throws IOException {
        say("building what is missing (the Collector, Prometheus, postgres_exporter; progress in " + Repository.logs()
                + "); a first run takes several minutes");
        collectorBinary = Repository.tool("build-otelcol.sh");
        String prometheusDir = forTests ? Repository.tool("build-prometheus.sh") : prometheusWithUi();
        String postgresExporter = postgresExporter();
        checkPortsAreFree();
        say("starting the processes; their logs are in " + logs);

        if (forTests) {
            prepareDatabase();
            tempo.start();
            started.add(tempo);
            addresses.put("tempo:4318", "127.0.0.1:" + tempo.port());
            loki.start();
            started.add(loki);
            addresses.put("loki:3100", "127.0.0.1:" + loki.port());
        }
        if (postgresExporter != null) {
            start(ManagedProcess.start("postgres-exporter", List.of(postgresExporter,
                    "--web.listen-address=" + address("postgres-exporter", 9187)), exporterEnvironment(), root, logs),
                    "postgres-exporter", 9187, "/metrics");
        }
        startCollector();
        start(startPrometheus(prometheusDir), "prometheus", 9090, "/-/ready");
        migrate();
        start(startService(), "api", 8081, "/healthcheck");
        serviceHealthyAt = Instant.now();
        if (withTraffic) {
            processes.add(ManagedProcess.start("bank-traffic", java("simulate"), composeEnvironment("traffic"), root, logs));
            started.add(processes.get(processes.size() - 1));
        }
    }

    /** Progress for a developer watching tools/local-stack.sh; the tests keep their console quiet. */
    private void say(String message) {
        if (!forTests) {
            System.err.println("local-stack: " + message);
        }
    }

    private void start(ManagedProcess process, String service, int port, String readyPath) {
        processes.add(process);
        started.add(process);
        process.awaitHttpOk(URI.create("http://" + address(service, port) + readyPath), START_TIMEOUT);
    }

    /** Starts the Collector (again, after {@link #stopCollector()}) on the same ports. */
    public void startCollector() {
        collector = ManagedProcess.start("otel-collector", List.of(collectorBinary, "--config",
                root.resolve("otel-collector.yaml").toString()), collectorEnvironment(), root, logs)
                .awaitHttpOk(URI.create("http://" + address("otel-collector", 13133) + "/"), START_TIMEOUT);
    }

    /** Stops the Collector: the agent's exports are refused until {@link #startCollector()}. */
    public void stopCollector() {
        collector.close();
    }

    /**
     * The Collector's environment: every {@code ${env:NAME:-default}} of otel-collector.yaml whose default is an
     * address, moved to the local one (its own listening ports, the exporter it scrapes, the Tempo it exports
     * to), plus the environment compose gives the otel-collector service.
     */
    private Map<String, String> collectorEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher variable;
        try {
            variable = COLLECTOR_VARIABLE.matcher(Files.readString(root.resolve("otel-collector.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        while (variable.find()) {
            String name = variable.group(1);
            String fallback = variable.group(2);
            String local;
            if (fallback.matches("\\d+")) {
                local = address("otel-collector", Integer.parseInt(fallback)).replaceFirst("^.*:", "");
            } else if (fallback.equals("0.0.0.0")) {
                local = "127.0.0.1";
            } else if (fallback.matches("0\\.0\\.0\\.0:\\d+")) {
                local = address("otel-collector", Integer.parseInt(fallback.substring(fallback.indexOf(':') + 1)));
            } else {
                local = localAddresses(fallback, false);
            }
            env.put(name, override(name, local));
        }
        env.putAll(compose("otel-collector"));
        return env;
    }

    /** prometheus.yml with local targets, and the flags of compose's prometheus command with local paths. */
    private ManagedProcess startPrometheus(String binaries) {
        try {
            Path dir = Files.createDirectories(work.resolve("prometheus"));
            Files.writeString(dir.resolve("prometheus.yml"), localPrometheusConfig());
            Path rules = dir.resolve("prometheus");
            if (!Files.exists(rules, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(rules, root.resolve("prometheus"));
            }
            Path data = forTests ? dir.resolve("data-" + UUID.randomUUID()) : dir.resolve("data");
            List<String> command = new ArrayList<>(List.of(binaries + "/prometheus"));
            for (String flag : Repository.composeCommand("prometheus")) {
                if (flag.startsWith("--config.file=")) {
                    command.add("--config.file=" + dir.resolve("prometheus.yml"));
                } else if (flag.startsWith("--storage.tsdb.path=")) {
                    command.add("--storage.tsdb.path=" + data);
                } else {
                    command.add(flag);
                }
            }
            command.add("--web.listen-address=" + address("prometheus", 9090));
            return ManagedProcess.start("prometheus", command, Map.of(), dir, logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * prometheus.yml as compose mounts it, with each target moved to its local address. The targets of services
     * that do not run here are left out, and so are the scrape jobs and the alerting section left without one:
     * a target that can never answer would only be "down" forever.
     */
    @SuppressWarnings("unchecked")
    String localPrometheusConfig() throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(root.resolve("prometheus.yml")));
        for (Iterator<Object> jobs = ((List<Object>) config.get("scrape_configs")).iterator(); jobs.hasNext(); ) {
            Map<String, Object> job = (Map<String, Object>) jobs.next();
            if (scrapesOnlyStandIns((List<Object>) job.get("static_configs"))) {
                leftOut.add("scrape job " + job.get("job_name") + " (played by a stand-in, which has no metrics)");
                jobs.remove();
            } else if (!localTargets((List<Object>) job.get("static_configs"), "prometheus")) {
                leftOut.add("scrape job " + job.get("job_name"));
                jobs.remove();
            }
        }
        Map<String, Object> alerting = (Map<String, Object>) config.get("alerting");
        if (alerting != null) {
            List<Object> managers = (List<Object>) alerting.get("alertmanagers");
            managers.removeIf(manager -> !localTargets((List<Object>) ((Map<String, Object>) manager).get("static_configs"), null));
            if (managers.isEmpty()) {
                leftOut.add("alerting (no Alertmanager)");
                config.remove("alerting");
            }
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return "# Written by bank.e2e.stack.LocalStack from prometheus.yml; targets moved to local addresses.\n"
                + new Yaml(options).dump(config);
    }

    /** True if every target of the job is a service the tests play with a stand-in (Tempo, Loki). */
    @SuppressWarnings("unchecked")
    private boolean scrapesOnlyStandIns(List<Object> staticConfigs) {
        if (!forTests || staticConfigs == null) {
            return false;
        }
        return staticConfigs.stream().flatMap(entry -> ((List<Object>) ((Map<String, Object>) entry).get("targets")).stream())
                .allMatch(target -> STAND_INS.contains(target.toString().split(":")[0]));
    }

    /** Moves every target to its local address and drops those of services that do not run; false if none is left. */
    @SuppressWarnings("unchecked")
    private boolean localTargets(List<Object> staticConfigs, String self) {
        if (staticConfigs == null) {
            return true;
        }
        staticConfigs.removeIf(entry -> {
            Map<String, Object> staticConfig = (Map<String, Object>) entry;
            List<String> targets = new ArrayList<>();
            for (Object target : (List<Object>) staticConfig.get("targets")) {
                String[] hostPort = target.toString().split(":");
                String service = hostPort[0].equals("localhost") ? self : hostPort[0];
                if (service != null && running.contains(service)) {
                    targets.add(address(service, Integer.parseInt(hostPort[1])));
                }
            }
            staticConfig.put("targets", targets);
            return targets.isEmpty();
        });
        return !staticConfigs.isEmpty();
    }

    /**
     * The compose api-migrate service's command, with its environment on the stack's database, run to completion:
     * compose starts the api only once it has exited with 0 (service_completed_successfully).
     */
    private void migrate() {
        List<String> arguments = new ArrayList<>();
        for (String argument : Repository.composeCommand("api-migrate")) {
            arguments.add(argument.equals(IMAGE_CONFIG) ? root.resolve("service/config.yml").toString() : argument);
        }
        Map<String, String> env = composeEnvironment("api-migrate");
        env.put("DATABASE_URL", databaseUrl);
        env.put("DATABASE_USER", databaseUser);
        env.put("DATABASE_PASSWORD", databasePassword);
        say("migrating the schema (" + String.join(" ", arguments) + ")");
        ManagedProcess migration = ManagedProcess.start("api-migrate", java(arguments.toArray(String[]::new)), env, root, logs);
        started.add(migration);
        int status = migration.awaitExit(START_TIMEOUT);
        if (status != 0) {
            migration.close();
            throw new IllegalStateException("api-migrate (" + String.join(" ", arguments) + ") "
                    + (status < 0 ? "was still running after " + START_TIMEOUT.toMinutes() + " min" : "exited with " + status)
                    + ", so the api does not start; log:\n" + migration.tail());
        }
    }

    private ManagedProcess startService() {
        return ManagedProcess.start("bank-api", java("server", root.resolve("service/config.yml").toString()),
                serviceEnvironment(port("api", 8080), port("api", 8081)), root, logs);
    }

    /** A further process of the service, as a second replica runs: compose's api environment on ports of its own. */
    public record ServiceInstance(ManagedProcess process, URI api) {
        public URI api(String path) {
            return api.resolve(path);
        }
    }

    public synchronized ServiceInstance startAnotherServiceInstance(String name) {
        int apiPort = FreePorts.take();
        int adminPort = FreePorts.take();
        ManagedProcess process = ManagedProcess.start(name, java("server", root.resolve("service/config.yml").toString()),
                serviceEnvironment(Integer.toString(apiPort), Integer.toString(adminPort)), root, logs);
        started.add(process);
        process.awaitHttpOk(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"), START_TIMEOUT);
        return new ServiceInstance(process, URI.create("http://127.0.0.1:" + apiPort + "/"));
    }

    private Map<String, String> serviceEnvironment(String apiPort, String adminPort) {
        Map<String, String> env = composeEnvironment("api");
        env.put("DATABASE_URL", databaseUrl);
        env.put("DATABASE_USER", databaseUser);
        env.put("DATABASE_PASSWORD", databasePassword);
        env.put("PORT", apiPort);
        env.put("ADMIN_PORT", adminPort);
        // Compose opens the admin port to its port mapping; a local process keeps it on loopback. The outage test
        // forces a GC through the admin task, which is off by default.
        env.put("ADMIN_BIND_HOST", "127.0.0.1");
        env.put("ADMIN_TASKS_ENABLED", Boolean.toString(forTests));
        if (forTests) {
            // Compose keeps the 60 s default; the tests need the audit's findings in Prometheus within seconds.
            env.put("LEDGER_AUDIT_INTERVAL", "2s");
            // The tests and the traffic generator share the bootstrap client, and the tests' bursts would meet its
            // rate limit on a fast machine; RateLimitApiIT tests the limit itself.
            env.put("API_RATE_LIMIT_PER_SECOND", "1000000");
            env.put("API_RATE_LIMIT_BURST", "1000000");
        } else {
            env.put("LOKI_URL", override("LOKI_URL", env.get("LOKI_URL")));
        }
        return env;
    }

    /**
     * postgres_exporter's compose environment, pointed at the service's database. The tests connect as the role
     * postgres/init creates (named for the run); a developer's database has no such role, so the exporter
     * connects as the service does.
     */
    private Map<String, String> exporterEnvironment() {
        Map<String, String> env = compose("postgres-exporter");
        URI database = URI.create(databaseUrl.substring("jdbc:".length()));
        env.put("DATA_SOURCE_URI", env.get("DATA_SOURCE_URI").replaceFirst("^[^/]+/[^?]*",
                database.getHost() + ":" + (database.getPort() < 0 ? 5432 : database.getPort()) + database.getPath()));
        env.put("DATA_SOURCE_USER", forTests ? exporterRole : databaseUser);
        env.put("DATA_SOURCE_PASS", forTests ? rolePasswords.get("POSTGRES_EXPORTER_PASSWORD") : databasePassword);
        return env;
    }

    /** A compose service's environment with every compose address replaced by the local process playing it. */
    private Map<String, String> composeEnvironment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        compose(service).forEach((key, value) -> env.put(key, localAddresses(value, true)));
        return env;
    }

    /** A compose service's environment, interpolated as compose would: from the shell for a developer. */
    private Map<String, String> compose(String service) {
        return Repository.composeEnvironment(service, shell);
    }

    /**
     * Replaces each compose host:port in {@code text} by its local address. The address of a service that does not
     * run here makes the whole value empty if {@code emptyIfNowhere} (the service's LOKI_URL: no log shipping),
     * and otherwise leads to a free port where nothing listens (the Collector's Tempo exporter, which needs an
     * endpoint and retries, then drops what it cannot send).
     */
    private String localAddresses(String text, boolean emptyIfNowhere) {
        Matcher address = ADDRESS.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean nowhere = false;
        while (address.find()) {
            String service = address.group(1);
            if (!Repository.composeServices().contains(service)) {
                address.appendReplacement(out, Matcher.quoteReplacement(address.group()));
            } else if (running.contains(service)) {
                address.appendReplacement(out, Matcher.quoteReplacement(address(service, Integer.parseInt(address.group(2)))));
            } else {
                nowhere = true;
                address.appendReplacement(out, Matcher.quoteReplacement(nowhere(service, Integer.parseInt(address.group(2)))));
            }
        }
        address.appendTail(out);
        return nowhere && emptyIfNowhere ? "" : out.toString();
    }

    /**
     * The local address of a compose service's port: the database server for postgres; otherwise 127.0.0.1 and,
     * for a developer, the port compose publishes (or a free one); for the tests always a free one.
     */
    private synchronized String address(String service, int port) {
        return addresses.computeIfAbsent(service + ":" + port, key -> {
            if (service.equals("postgres")) {
                URI database = URI.create(databaseUrl.substring("jdbc:".length()));
                return database.getHost() + ":" + (database.getPort() < 0 ? 5432 : database.getPort());
            }
            Integer published = forTests ? null : Repository.publishedPorts(service).get(port);
            return "127.0.0.1:" + (published != null ? published : FreePorts.take());
        });
    }

    /** A local address for a service that does not run here: a free port, which nothing will listen on. */
    private synchronized String nowhere(String service, int port) {
        return addresses.computeIfAbsent(service + ":" + port, key -> "127.0.0.1:" + FreePorts.take());
    }

    private String port(String service, int port) {
        String address = address(service, port);
        return address.substring(address.lastIndexOf(':') + 1);
    }

    /** A developer's setting from the shell, where one is allowed (DEVELOPER_OVERRIDES); the derived value otherwise. */
    private String override(String name, String derived) {
        String value = shell.get(name);
        return DEVELOPER_OVERRIDES.contains(name) && value != null && !value.isBlank() ? value : derived;
    }

    /** Every port this stack listens on must be free: a second copy, or compose itself, would half-start otherwise. */
    private void checkPortsAreFree() {
        if (forTests) {
            return;
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : List.of("api", "otel-collector", "prometheus", "postgres-exporter")) {
            for (Integer port : Repository.publishedPorts(service).keySet()) {
                ports.put(service + ":" + port, Integer.parseInt(port(service, port)));
            }
        }
        ports.forEach((name, port) -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                throw new IllegalStateException("port " + port + " (" + name + ") on 127.0.0.1 is already in use;"
                        + " stop whatever listens there first");
            } catch (IOException free) {
                // Nothing listens: the port is free.
            }
        });
    }

    /** The same command line as the image's ENTRYPOINT in service/Dockerfile, bound to 127.0.0.1 as compose publishes. */
    private List<String> java(String... arguments) {
        Path otel = root.resolve("service/target/otel");
        Path jar = root.resolve("service/target/bank-service.jar");
        if (!Files.exists(jar) || !Files.exists(otel.resolve("opentelemetry-javaagent.jar"))) {
            throw new IllegalStateException("build the service first: ./mvnw package (missing " + jar + ")");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + otel.resolve("opentelemetry-javaagent.jar"),
                "-Dotel.javaagent.extensions=" + otel.resolve("bank-agent-extension.jar"),
                "-Ddw.server.applicationConnectors[0].bindHost=127.0.0.1",
                "-Ddw.server.adminConnectors[0].bindHost=127.0.0.1",
                "-jar", jar.toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    private String prometheusWithUi() {
        String ui = "http://localhost:" + port("prometheus", 9090)
                + "/query?g0.expr=sum%20by%20(http_route)%20(rate(http_server_request_duration_seconds_count%5B1m%5D))&g0.tab=graph";
        try {
            String dir = Repository.tool("build-prometheus.sh", "--ui");
            prometheusHelp = ui;
            return dir;
        } catch (AssertionError failed) {
            System.err.println("local-stack: the Prometheus web UI could not be built (" + logs + "); continuing with"
                    + " the build that has only the HTTP API");
            prometheusHelp = "http://localhost:" + port("prometheus", 9090) + "/api/v1/query?query=up (HTTP API only)";
            return Repository.tool("build-prometheus.sh");
        }
    }

    private String postgresExporter() {
        try {
            return Repository.tool("install-postgres-exporter.sh");
        } catch (AssertionError failed) {
            if (forTests) {
                throw failed;
            }
            System.err.println("local-stack: continuing without postgres_exporter: no PostgreSQL server metrics");
            return null;
        }
    }

    private String summary() {
        return String.format("""

                Observable Bank is running. Logs: %s
                  API                 http://localhost:%s          (Swagger UI: http://localhost:%2$s/docs/)
                  API key             the bootstrap key, BANK_BOOTSTRAP_API_KEY (compose's default unless set;
                                      docs/api.md#api-keys)
                  Health              http://localhost:%s/healthcheck
                  Prometheus          %s
                  Collector metrics   http://localhost:%s/metrics  (its own: http://localhost:%s/metrics)
                  postgres_exporter   http://localhost:%s/metrics
                  Database            %s
                Not running here: %s. Left out of prometheus.yml: %s.
                Metrics reach Prometheus about 15 seconds after a request. Ctrl-C stops everything.
                """, logs, port("api", 8080), port("api", 8081), prometheusHelp, port("otel-collector", 8889),
                port("otel-collector", 8888), port("postgres-exporter", 9187), databaseUrl,
                String.join(", ", Repository.composeServices().stream().filter(s -> !running.contains(s)).toList()),
                String.join(", ", leftOut));
    }

    public URI api(String path) {
        return URI.create("http://" + address("api", 8080) + path);
    }

    /** The key the service bootstraps with every scope, as compose configures it; the traffic generator's too. */
    public String apiKey() {
        return compose("api").get("BANK_BOOTSTRAP_API_KEY");
    }

    public URI admin(String path) {
        return URI.create("http://" + address("api", 8081) + path);
    }

    public PrometheusClient prometheus() {
        return new PrometheusClient(URI.create("http://" + address("prometheus", 9090) + "/"));
    }

    public URI collectorMetrics() {
        return URI.create("http://" + address("otel-collector", 8889) + "/metrics");
    }

    /** When the service first answered its health check; the traffic generator starts right after. */
    public Instant serviceHealthyAt() {
        return serviceHealthyAt;
    }

    /** The service's database; compose names it {@code bank}, each test run makes its own. */
    public String databaseName() {
        return URI.create(databaseUrl.substring("jdbc:".length())).getPath().substring(1);
    }

    /** The host of the service's JDBC URL, as the agent reports it in server.address. */
    public String databaseHost() {
        return URI.create(databaseUrl.substring("jdbc:".length())).getHost();
    }

    /** A connection to the service's database as the service's own user, which can change anything. */
    public Connection databaseConnection() throws SQLException {
        return DriverManager.getConnection(databaseUrl, databaseUser, databasePassword);
    }

    /** A connection as Grafana's PostgreSQL data source makes it: as the reader role postgres/init creates. */
    public Connection grafanaReaderConnection() throws SQLException {
        return DriverManager.getConnection(databaseUrl, readerRole, rolePasswords.get("GRAFANA_READER_PASSWORD"));
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

    /**
     * A database for the run, prepared as the postgres image prepares compose's: postgres/init/*.sql run by psql
     * as the bank user, before the service creates its tables. Only the names differ, the roles' and the
     * database's, so that runs never share them.
     */
    private void prepareDatabase() throws IOException {
        Database.admin("CREATE DATABASE " + databaseName());
        List<Path> scripts;
        try (Stream<Path> files = Files.list(root.resolve("postgres/init"))) {
            scripts = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
        }
        for (Path script : scripts) {
            Path renamed = work.resolve(script.getFileName());
            Files.writeString(renamed, Files.readString(script)
                    .replace("grafana_reader", readerRole)
                    .replace("postgres_exporter", exporterRole)
                    .replace("DATABASE bank", "DATABASE " + databaseName()));
            List<String> psql = new ArrayList<>(List.of("env", "PGPASSWORD=" + Database.PASSWORD));
            rolePasswords.forEach((name, value) -> psql.add(name + "=" + value));
            String[] hostPort = Database.HOST_PORT.split(":");
            psql.addAll(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", hostPort[0], "-p",
                    hostPort.length > 1 ? hostPort[1] : "5432", "-U", Database.USER, "-d", databaseName(), "-f", renamed.toString()));
            Command.run("postgres-init-" + script.getFileName(), psql, Duration.ofMinutes(1)).assertSucceeded();
        }
    }

    @Override
    public synchronized void close() {
        closing = true;
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
        if (!forTests) {
            return;
        }
        try {
            Database.admin("DROP DATABASE IF EXISTS " + databaseName() + " WITH (FORCE)");
            Database.admin("DROP ROLE IF EXISTS " + readerRole);
            Database.admin("DROP ROLE IF EXISTS " + exporterRole);
        } catch (IllegalStateException e) {
            System.err.println("could not drop " + databaseName() + " or its roles: " + e.getMessage());
        }
    }

    /** A folder of its own for this run's logs, named by date and time; only the newest runs are kept. */
    private static Path runLogs(Path parent) throws IOException {
        Files.createDirectories(parent);
        try (Stream<Path> runs = Files.list(parent)) {
            List<Path> old = runs.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).skip(KEPT_RUNS - 1).toList();
            for (Path run : old) {
                try (Stream<Path> files = Files.walk(run)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
        }
        return Files.createDirectories(parent.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    }


    /** The local PostgreSQL of the tests, found as the service tests find it (TEST_DATABASE_URL, _USER, _PASSWORD). */
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
