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

        // Compose's own values: environment, commands and health checks. Image names look like host:port
        // (postgres:15.18) and ports and volumes are checked separately, so those three are left out.
        services.forEach((service, definition) -> definition.forEach((key, value) -> {
            if (!Set.of("image", "ports", "volumes").contains(key)) {
                strings(value, text -> checkReferences(
                        "docker-compose.yml (service " + service + ", " + key + ")",
                        resolveCompose(text), service, listening, problems));
            }
        }));

        for (Path file : mountedConfigFiles()) {
            String relative = ROOT.relativize(file).toString();
            String owner = ownerOf(file);
            Object content = loadAny(file);
            strings(content, text -> checkReferences(relative, resolveCollector(text), owner, listening, problems));
        }

        assertThat(problems).as("host:port references that no compose service answers").isEmpty();
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
                String expected = hasHealthCheck(target) ? "service_healthy" : "service_started";
                if (!condition.equals(expected)) {
                    problems.add("docker-compose.yml: service " + service + " waits for " + dependency
                            + " with " + condition + ", expected " + expected);
                }
            });
        });
        assertThat(problems).isEmpty();
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

    private static void checkReferences(String where, String text, String owner,
            Map<String, Set<Integer>> listening, List<String> problems) {
        Matcher reference = HOST_PORT.matcher(text);
        while (reference.find()) {
            String host = reference.group(1);
            int port = Integer.parseInt(reference.group(2));
            // Inside a container, localhost is the container itself.
            String service = host.equals("localhost") || host.equals("127.0.0.1") ? owner : host;
            if (service == null) {
                problems.add(where + ": " + reference.group() + " refers to localhost in a file no service mounts");
            } else if (!services.containsKey(service)) {
                problems.add(where + ": " + reference.group() + " names no compose service");
            } else if (!listening.getOrDefault(service, Set.of()).contains(port)) {
                problems.add(where + ": " + reference.group() + " but " + service + " listens on "
                        + listening.getOrDefault(service, Set.of()));
            }
        }
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
