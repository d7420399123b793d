package bank.e2e.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Cross-checks docker-compose.yml against the configuration files it mounts, without starting anything.
 *
 * <p>A stack like this one fails quietly when two files disagree: a Collector exporting to a port Tempo
 * does not listen on, a datasource pointing at a renamed service, a mount of a file that moved. Each of
 * those only shows up as an empty Grafana panel after everything has started. These tests read the files
 * the way compose and the containers do and compare them.
 *
 * <p>Run from the e2e module directory, so the repository root is {@code ..}.
 */
class ComposeWiringTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /**
     * Ports that services listen on because of their image or the service's own configuration, which no
     * file here states. The Collector, Loki and Tempo are absent: their ports are read from their
     * configuration files instead (see {@link #listeningPorts}).
     */
    private static final Map<String, Set<Integer>> IMAGE_PORTS = Map.of(
            "postgres", Set.of(5432),
            "postgres-exporter", Set.of(9187),
            "api", Set.of(8080, 8081),
            "api-migrate", Set.of(),
            "traffic", Set.of(),
            "prometheus", Set.of(9090),
            "alertmanager", Set.of(9093),
            "grafana", Set.of(3000));

    /**
     * A host:port reference. The host is a compose service name (no dots, so external hosts are not
     * matched) or a loopback name; "user:1234@host" is not a reference, hence the look-ahead.
     */
    private static final Pattern HOST_PORT =
            Pattern.compile("(?<![\\w.@-])(localhost|127\\.0\\.0\\.1|[a-z][a-z0-9-]*):(\\d{1,5})(?![\\d@])");

    /** A listening address on every interface, as the Collector and Tempo configure their receivers. */
    private static final Pattern WILDCARD_LISTEN = Pattern.compile("^(?:0\\.0\\.0\\.0|\\[::\\]|)?:(\\d{1,5})$");

    /** Compose interpolation, ${NAME}, ${NAME:-default} or ${NAME-default}. */
    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    /** Collector configuration variable, ${env:NAME:-default}. */
    private static final Pattern COLLECTOR_VARIABLE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    /** An image tag that names a release: digits and dots, an optional v and an optional -suffix. */
    private static final Pattern RELEASE_TAG = Pattern.compile("v?\\d+(\\.\\d+)+(-[A-Za-z0-9.]+)?");

    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void loadCompose() throws IOException {
        compose = load("docker-compose.yml");
        services = new LinkedHashMap<>();
        map(compose.get("services")).forEach((name, definition) -> services.put(name, map(definition)));
    }

    @Test
    void everyHostPortInTheConfigurationNamesAServiceAndAPortItListensOn() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Set<Integer>> listening = listeningPorts();
        for (Reference reference : references()) {
            if (reference.service() == null) {
                problems.add(reference.where() + ": " + reference.text() + " refers to localhost in a file no service mounts");
            } else if (!services.containsKey(reference.service())) {
                problems.add(reference.where() + ": " + reference.text() + " names no compose service");
            } else if (!listening.getOrDefault(reference.service(), Set.of()).contains(reference.port())) {
                problems.add(reference.where() + ": " + reference.text() + " but " + reference.service() + " listens on "
                        + listening.getOrDefault(reference.service(), Set.of()));
            }
        }
        assertThat(problems).as("host:port references that no compose service answers").isEmpty();
    }

    /**
     * A health check must mean "accepting connections where its clients connect": over TCP, on the container's
     * loopback address, on every port another service or the host connects to. pg_isready without a host checks
     * the unix socket, which the postgres image's first start opens while TCP is still closed; a check on
     * another port says nothing about the one that clients use.
     */
    @Test
    void healthChecksPassOnlyWhenTheServiceListensWhereItsClientsConnect() throws IOException {
        Map<String, Set<Integer>> clientPorts = new LinkedHashMap<>();
        for (Reference reference : references()) {
            if (reference.service() != null) {
                clientPorts.computeIfAbsent(reference.service(), s -> new TreeSet<>()).add(reference.port());
            }
        }
        services.forEach((service, definition) -> {
            for (Object entry : list(definition.get("ports"))) {
                String[] parts = entry.toString().split(":");
                clientPorts.computeIfAbsent(service, s -> new TreeSet<>())
                        .add(Integer.parseInt(parts[parts.length - 1].replaceAll("/.*", "")));
            }
        });

        Map<String, Set<Integer>> listening = listeningPorts();
        List<String> problems = new ArrayList<>();
        services.forEach((service, definition) -> {
            if (!hasHealthCheck(definition)) {
                return;
            }
            List<String> findings = new ArrayList<>();
            Set<Integer> checked = healthCheckPorts(healthCheckCommand(definition), findings);
            for (int port : checked) {
                if (!listening.getOrDefault(service, Set.of()).contains(port)) {
                    findings.add("checks port " + port + ", where the service does not listen");
                }
            }
            Set<Integer> unchecked = new TreeSet<>(clientPorts.getOrDefault(service, Set.of()));
            unchecked.removeAll(checked);
            if (!unchecked.isEmpty()) {
                findings.add("never checks port(s) " + unchecked + ", where its clients connect");
            }
            findings.forEach(finding -> problems.add("docker-compose.yml: health check of " + service + " "
                    + finding + ": " + healthCheckCommand(definition)));
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void healthCheckRuleCatchesAUnixSocketCheckAndAnotherPort() {
        List<String> findings = new ArrayList<>();
        assertThat(healthCheckPorts("pg_isready --username=bank --dbname=bank", findings)).isEmpty();
        assertThat(findings).singleElement().asString().contains("unix socket");

        findings.clear();
        assertThat(healthCheckPorts("pg_isready -h /var/run/postgresql -U bank", findings)).isEmpty();
        assertThat(findings).singleElement().asString().contains("unix socket");

        findings.clear();
        assertThat(healthCheckPorts("wget -q -O /dev/null http://grafana:3000/api/health", findings)).containsExactly(3000);
        assertThat(findings).singleElement().asString().contains("not the container's own loopback");

        findings.clear();
        assertThat(healthCheckPorts("pg_isready --host=127.0.0.1 --port=5433", findings)).containsExactly(5433);
        assertThat(findings).isEmpty();
    }

    /**
     * Long-running services come back by themselves after a crash. A one-shot job (one that another service
     * waits for with service_completed_successfully) must not be restarted once it has done its work.
     */
    @Test
    void everyLongRunningServiceRestartsUnlessStopped() {
        Set<String> oneShot = new TreeSet<>();
        services.values().forEach(definition -> map(definition.get("depends_on")).forEach((dependency, spec) -> {
            if ("service_completed_successfully".equals(map(spec).get("condition"))) {
                oneShot.add(dependency);
            }
        }));
        List<String> problems = new ArrayList<>();
        services.forEach((service, definition) -> {
            Object restart = definition.get("restart");
            if (oneShot.contains(service) && restart != null && !"no".equals(String.valueOf(restart))) {
                problems.add("docker-compose.yml: one-shot job " + service + " has restart: " + restart);
            } else if (!oneShot.contains(service) && !"unless-stopped".equals(restart)) {
                problems.add("docker-compose.yml: service " + service + " has restart: " + restart
                        + ", expected unless-stopped");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyPublishedPortIsOneTheServiceListensOn() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Set<Integer>> listening = listeningPorts();
        services.forEach((service, definition) -> {
            for (Object entry : list(definition.get("ports"))) {
                String[] parts = entry.toString().split(":");
                int containerPort = Integer.parseInt(parts[parts.length - 1].replaceAll("/.*", ""));
                if (!listening.getOrDefault(service, Set.of()).contains(containerPort)) {
                    problems.add("docker-compose.yml: service " + service + " publishes " + entry
                            + " but listens on " + listening.getOrDefault(service, Set.of()));
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyMountedFileAndBuildContextExists() {
        List<String> problems = new ArrayList<>();
        Set<String> namedVolumes = map(compose.getOrDefault("volumes", Map.of())).keySet();
        services.forEach((service, definition) -> {
            for (Object entry : list(definition.get("volumes"))) {
                String source = entry.toString().split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    if (!Files.exists(ROOT.resolve(source).normalize())) {
                        problems.add("docker-compose.yml: service " + service + " mounts " + source
                                + ", which does not exist");
                    }
                } else if (!namedVolumes.contains(source)) {
                    problems.add("docker-compose.yml: service " + service + " uses volume " + source
                            + ", which is not declared under volumes:");
                }
            }
            Object build = definition.get("build");
            if (build != null) {
                Map<String, Object> spec = build instanceof Map ? map(build) : Map.of("context", build);
                Path context = ROOT.resolve(spec.getOrDefault("context", ".").toString()).normalize();
                Path dockerfile = context.resolve(spec.getOrDefault("dockerfile", "Dockerfile").toString());
                if (!Files.isDirectory(context)) {
                    problems.add("docker-compose.yml: service " + service + " builds from " + context
                            + ", which does not exist");
                } else if (!Files.isRegularFile(dockerfile)) {
                    problems.add("docker-compose.yml: service " + service + " builds with "
                            + ROOT.relativize(dockerfile) + ", which does not exist");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyImageIsPinnedToARelease() {
        List<String> problems = new ArrayList<>();
        Set<String> builtHere = new LinkedHashSet<>();
        services.forEach((service, definition) -> {
            if (definition.containsKey("build") && definition.containsKey("image")) {
                builtHere.add(definition.get("image").toString());
            }
        });
        services.forEach((service, definition) -> {
            Object image = definition.get("image");
            if (image == null) {
                if (!definition.containsKey("build")) {
                    problems.add("docker-compose.yml: service " + service + " has neither image nor build");
                }
                return;
            }
            String reference = image.toString();
            if (builtHere.contains(reference)) {
                return;
            }
            String tag = tagOf(reference);
            if (tag == null || tag.equals("latest") || !RELEASE_TAG.matcher(tag).matches()) {
                problems.add("docker-compose.yml: service " + service + " uses image " + reference
                        + ", which is not pinned to a release tag");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void collectorImageRunsTheReleaseTheManifestBuilds() throws IOException {
        Map<String, Object> manifest = load("otel-collector-builder.yaml");
        String distVersion = map(manifest.get("dist")).get("version").toString();
        String image = services.get("otel-collector").get("image").toString();

        assertThat(tagOf(image))
                .as("otel-collector image %s in docker-compose.yml against dist.version in otel-collector-builder.yaml",
                        image)
                .isEqualTo(distVersion);

        // Core and contrib components of one release share its v0.x version; the stable core modules
        // (v1.x, such as the confmap providers) follow their own numbering.
        List<String> problems = new ArrayList<>();
        for (String kind : List.of("receivers", "processors", "exporters", "extensions", "connectors")) {
            for (Object entry : list(manifest.get(kind))) {
                String gomod = map(entry).get("gomod").toString();
                String version = gomod.substring(gomod.lastIndexOf(' ') + 1);
                if (version.startsWith("v0.") && !version.equals("v" + distVersion)) {
                    problems.add("otel-collector-builder.yaml: " + gomod + " is not at v" + distVersion);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void dependenciesWaitForHealthOnlyWhereAServiceCanReportIt() {
        List<String> problems = new ArrayList<>();
        services.forEach((service, definition) -> {
            Object dependsOn = definition.get("depends_on");
            if (dependsOn instanceof List) {
                problems.add("docker-compose.yml: service " + service
                        + " lists depends_on without conditions: " + dependsOn);
                return;
            }
            map(dependsOn == null ? Map.of() : dependsOn).forEach((dependency, spec) -> {
                Map<String, Object> target = services.get(dependency);
                if (target == null) {
                    problems.add("docker-compose.yml: service " + service + " depends on unknown service "
                            + dependency);
                    return;
                }
                String condition = String.valueOf(map(spec).get("condition"));
                String expected = isOneShot(target) ? "service_completed_successfully"
                        : hasHealthCheck(target) ? "service_healthy" : "service_started";
                if (!condition.equals(expected)) {
                    problems.add("docker-compose.yml: service " + service + " waits for " + dependency
                            + " with " + condition + ", expected " + expected);
                }
            });
        });
        assertThat(problems).isEmpty();
    }

    /**
     * The schema is migrated once, by api-migrate, before the API starts: the same image and build as api running
     * the service's {@code migrate} command with the config file the API reads, against the same database with
     * the same credentials; api waits for it to exit with 0, and does not migrate on start itself.
     */
    @Test
    void apiMigrateMigratesTheApisDatabaseOnceBeforeTheApiStarts() throws IOException {
        Map<String, Object> api = services.get("api");
        Map<String, Object> migrate = services.get("api-migrate");
        assertThat(migrate).as("service api-migrate in docker-compose.yml").isNotEmpty();

        assertThat(migrate.get("build")).as("api-migrate's build").isEqualTo(api.get("build"));
        assertThat(migrate.get("image")).as("api-migrate's image").isEqualTo(api.get("image"));
        List<String> serverCommand = imageCommand();
        assertThat(serverCommand).as("the image's CMD, which api runs").hasSize(2).first().isEqualTo("server");
        assertThat(list(migrate.get("command")).stream().map(String::valueOf).toList())
                .as("api-migrate's command: migrate, with the API's config file")
                .containsExactly("migrate", serverCommand.get(1));
        assertThat(isOneShot(migrate)).as("api-migrate has restart: \"no\"").isTrue();
        assertThat(hasHealthCheck(migrate)).as("api-migrate's health check (the image's asks a port it never opens)")
                .isFalse();
        assertThat(map(map(migrate.get("depends_on")).get("postgres")).get("condition")).isEqualTo("service_healthy");

        Map<String, Object> apiEnvironment = map(api.get("environment"));
        Map<String, Object> migrateEnvironment = map(migrate.get("environment"));
        for (String variable : List.of("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD", "DB_STARTUP_TIMEOUT")) {
            assertThat(migrateEnvironment.get(variable)).as("api-migrate's %s, against api's", variable)
                    .isEqualTo(apiEnvironment.get(variable));
        }
        assertThat(apiEnvironment.get("DATABASE_URL")).as("api's DATABASE_URL").isNotNull();
        // Its telemetry, if any, must not pass for the API's own.
        boolean agentOff = "false".equals(String.valueOf(migrateEnvironment.get("OTEL_JAVAAGENT_ENABLED")))
                || "true".equals(String.valueOf(migrateEnvironment.get("OTEL_SDK_DISABLED")));
        assertThat(agentOff || !String.valueOf(apiEnvironment.get("OTEL_SERVICE_NAME"))
                .equals(String.valueOf(migrateEnvironment.get("OTEL_SERVICE_NAME"))))
                .as("api-migrate has its telemetry off or a service name of its own").isTrue();

        assertThat(String.valueOf(apiEnvironment.get("DB_MIGRATE_ON_START"))).as("api's DB_MIGRATE_ON_START")
                .isEqualTo("false");
        assertThat(map(map(api.get("depends_on")).get("api-migrate")).get("condition"))
                .as("api waits for api-migrate").isEqualTo("service_completed_successfully");
    }

    @Test
    void everyComposeVariableHasADefaultDocumentedInEnvExample() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve(".env.example"))) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#") && trimmed.contains("=")) {
                documented.put(trimmed.substring(0, trimmed.indexOf('=')), trimmed.substring(trimmed.indexOf('=') + 1));
            }
        }

        List<String> problems = new ArrayList<>();
        Matcher variables = COMPOSE_VARIABLE.matcher(Files.readString(ROOT.resolve("docker-compose.yml")));
        while (variables.find()) {
            String name = variables.group(1);
            String fallback = variables.group(2);
            if (fallback == null) {
                problems.add("docker-compose.yml: ${" + name + "} has no default, so the stack needs a .env file");
            } else if (!documented.containsKey(name)) {
                problems.add("docker-compose.yml: ${" + name + "} is not documented in .env.example");
            } else if (!documented.get(name).equals(fallback)) {
                problems.add("docker-compose.yml: ${" + name + "} defaults to '" + fallback
                        + "' but .env.example says '" + documented.get(name) + "'");
            }
        }
        assertThat(problems).isEmpty();
    }

    /** A job that runs to completion once per start of the stack, never restarted. */
    private static boolean isOneShot(Map<String, Object> service) {
        return "no".equals(String.valueOf(service.get("restart")));
    }

    /** The CMD of service/Dockerfile's runtime stage, in its exec form. */
    private static List<String> imageCommand() throws IOException {
        String cmd = Files.readAllLines(ROOT.resolve("service/Dockerfile")).stream()
                .filter(line -> line.startsWith("CMD ")).reduce((first, last) -> last).orElseThrow();
        Object parsed = new Yaml().load(cmd.substring("CMD ".length()));
        return list(parsed).stream().map(String::valueOf).toList();
    }

    private static boolean hasHealthCheck(Map<String, Object> service) {
        Object healthcheck = service.get("healthcheck");
        return healthcheck != null && !Boolean.TRUE.equals(map(healthcheck).get("disable"));
    }

    /** Every service's listening ports: the declared table, plus what the mounted configurations say. */
    private static Map<String, Set<Integer>> listeningPorts() throws IOException {
        Map<String, Set<Integer>> ports = new LinkedHashMap<>();
        IMAGE_PORTS.forEach((service, known) -> ports.put(service, new TreeSet<>(known)));

        Set<Integer> collector = new TreeSet<>();
        Map<String, Object> collectorConfig = load("otel-collector.yaml");
        strings(collectorConfig, text -> wildcardPort(resolveCollector(text)).ifPresent(collector::add));
        Object telemetryPort = dig(collectorConfig, "service", "telemetry", "metrics", "readers", 0, "pull",
                "exporter", "prometheus", "port");
        collector.add(Integer.parseInt(resolveCollector(telemetryPort.toString())));
        ports.put("otel-collector", collector);

        Map<String, Object> loki = load("loki/loki.yaml");
        ports.put("loki", new TreeSet<>(List.of(
                Integer.parseInt(dig(loki, "server", "http_listen_port").toString()),
                Integer.parseInt(dig(loki, "server", "grpc_listen_port").toString()))));

        Set<Integer> tempo = new TreeSet<>();
        Map<String, Object> tempoConfig = load("tempo/tempo.yaml");
        tempo.add(Integer.parseInt(dig(tempoConfig, "server", "http_listen_port").toString()));
        strings(tempoConfig.get("distributor"), text -> wildcardPort(text).ifPresent(tempo::add));
        ports.put("tempo", tempo);

        return ports;
    }

    private static Optional<Integer> wildcardPort(String text) {
        Matcher listen = WILDCARD_LISTEN.matcher(text);
        return listen.matches() ? Optional.of(Integer.parseInt(listen.group(1))) : Optional.empty();
    }

    /** A host:port in a stack file: the compose service it names (null for localhost nobody mounts) and where. */
    private record Reference(String where, String text, String service, int port) {
    }

    /**
     * Every host:port in compose's own values (environment, commands, health checks: images look like host:port
     * and ports and volumes are checked separately) and in the configuration files the containers mount.
     */
    private static List<Reference> references() throws IOException {
        List<Reference> references = new ArrayList<>();
        services.forEach((service, definition) -> definition.forEach((key, value) -> {
            if (!Set.of("image", "ports", "volumes").contains(key)) {
                strings(value, text -> collectReferences("docker-compose.yml (service " + service + ", " + key + ")",
                        resolveCompose(text), service, references));
            }
        }));
        for (Path file : mountedConfigFiles()) {
            String relative = ROOT.relativize(file).toString();
            String owner = ownerOf(file);
            strings(loadAny(file), text -> collectReferences(relative, resolveCollector(text), owner, references));
        }
        return references;
    }

    private static void collectReferences(String where, String text, String owner, List<Reference> references) {
        Matcher reference = HOST_PORT.matcher(text);
        while (reference.find()) {
            String host = reference.group(1);
            // Inside a container, localhost is the container itself.
            String service = host.equals("localhost") || host.equals("127.0.0.1") ? owner : host;
            references.add(new Reference(where, reference.group(), service, Integer.parseInt(reference.group(2))));
        }
    }

    /**
     * Checks that are a binary's own flag, and the address each one connects to. Loki's {@code -health} asks
     * {@code http://localhost:3100/ready} unless told otherwise (cmd/loki/health.go, defaultHealthURL).
     */
    private static final Map<String, String> SELF_CHECKS = Map.of("/usr/bin/loki -health", "http://localhost:3100/ready");

    private static final Pattern URL = Pattern.compile("https?://([^/:\\s]+):(\\d+)");
    private static final Pattern PG_HOST = Pattern.compile("(?:--host=|-h\\s+)(\\S+)");
    private static final Pattern PG_PORT = Pattern.compile("(?:--port=|-p\\s+)(\\d+)");

    private static String healthCheckCommand(Map<String, Object> definition) {
        Object test = map(definition.get("healthcheck")).get("test");
        List<?> parts = test instanceof List<?> sequence ? sequence : List.of("CMD-SHELL", String.valueOf(test));
        return String.join(" ", parts.subList(1, parts.size()).stream().map(String::valueOf).toList());
    }

    /** The TCP ports a health check command connects to; what makes it unfit goes to {@code findings}. */
    static Set<Integer> healthCheckPorts(String command, List<String> findings) {
        Set<Integer> ports = new TreeSet<>();
        String expanded = command;
        for (Map.Entry<String, String> selfCheck : SELF_CHECKS.entrySet()) {
            expanded = expanded.replace(selfCheck.getKey(), selfCheck.getKey() + " " + selfCheck.getValue());
        }
        List<String[]> targets = new ArrayList<>();
        Matcher url = URL.matcher(expanded);
        while (url.find()) {
            targets.add(new String[] {url.group(1), url.group(2)});
        }
        if (expanded.contains("pg_isready")) {
            Matcher host = PG_HOST.matcher(expanded);
            Matcher port = PG_PORT.matcher(expanded);
            String portNumber = port.find() ? port.group(1) : "5432";
            if (!host.find() || host.group(1).startsWith("/")) {
                findings.add("connects to the unix socket (pg_isready without a TCP --host)");
            } else {
                targets.add(new String[] {host.group(1), portNumber});
            }
        }
        if (targets.isEmpty() && findings.isEmpty()) {
            findings.add("connects to no address this test can read");
        }
        for (String[] target : targets) {
            if (!target[0].equals("127.0.0.1") && !target[0].equals("localhost")) {
                findings.add("connects to " + target[0] + ", not the container's own loopback address");
            }
            ports.add(Integer.parseInt(target[1]));
        }
        return ports;
    }

    /**
     * The stack's configuration files that containers read: the Collector, Prometheus, Loki, Tempo,
     * Alertmanager and Grafana datasource files, whichever of them exist.
     */
    private static List<Path> mountedConfigFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String file : List.of("otel-collector.yaml", "prometheus.yml", "loki/loki.yaml", "tempo/tempo.yaml")) {
            files.add(ROOT.resolve(file));
        }
        for (String directory : List.of("alertmanager", "grafana/provisioning/datasources")) {
            Path dir = ROOT.resolve(directory);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    entries.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                            .sorted()
                            .forEach(files::add);
                }
            }
        }
        return files;
    }

    /** The compose service that mounts the file, or one of its parent directories. */
    private static String ownerOf(Path file) {
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            for (Object entry : list(service.getValue().get("volumes"))) {
                String source = entry.toString().split(":")[0];
                if (source.startsWith(".") && file.startsWith(ROOT.resolve(source).normalize())) {
                    return service.getKey();
                }
            }
        }
        return null;
    }

    /** Replaces compose interpolation by its default, as compose does with no .env file. */
    private static String resolveCompose(String text) {
        return COMPOSE_VARIABLE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
                m.group(2) == null ? "" : m.group(2)));
    }

    /** Replaces Collector ${env:NAME:-default} variables by their defaults. */
    private static String resolveCollector(String text) {
        return COLLECTOR_VARIABLE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
                m.group(2) == null ? "" : m.group(2)));
    }

    private static String tagOf(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : null;
    }

    private static Map<String, Object> load(String relative) throws IOException {
        return map(loadAny(ROOT.resolve(relative)));
    }

    private static Object loadAny(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            Object content = new Yaml().load(reader);
            return content == null ? Map.of() : content;
        }
    }

    /** Walks a YAML tree and hands every scalar value (not the keys) to the consumer as text. */
    private static void strings(Object node, Consumer<String> consumer) {
        if (node instanceof Map<?, ?> mapping) {
            mapping.values().forEach(value -> strings(value, consumer));
        } else if (node instanceof List<?> sequence) {
            sequence.forEach(value -> strings(value, consumer));
        } else if (node != null) {
            consumer.accept(node.toString());
        }
    }

    private static Object dig(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            current = step instanceof Integer index ? list(current).get(index) : map(current).get(step);
            assertThat(current).as("missing %s", List.of(path)).isNotNull();
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node instanceof Map ? (Map<String, Object>) node : Map.of();
    }

    private static List<?> list(Object node) {
        return node instanceof List<?> sequence ? sequence : List.of();
    }
}
