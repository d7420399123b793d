package bank.e2e.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** The repository the suite checks: its files, its tools/ scripts, and docker-compose.yml. */
public final class Repository {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?-([^}]*))?}");

    private Repository() {
    }

    public static Path root() {
        String configured = System.getProperty("bank.repository.root");
        Path root = (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
        if (!Files.exists(root.resolve("docker-compose.yml"))) {
            throw new IllegalStateException("not the repository root: " + root);
        }
        return root;
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }

    /** Runs a tools/ script that builds or installs a program and prints its path on its last line. */
    public static String tool(String script, String... arguments) {
        String name = script.replace(".sh", "");
        Path stdout = logFile(name + ".stdout");
        List<String> command = new ArrayList<>(List.of("bash", file("tools/" + script).toString()));
        command.addAll(List.of(arguments));
        Command.run(name, command, Duration.ofMinutes(30), stdout).assertSucceeded();
        try {
            List<String> lines = Files.readAllLines(stdout);
            return lines.get(lines.size() - 1).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** e2e/target/e2e-logs, where every program the suite runs writes its output. */
    public static Path logs() {
        try {
            return Files.createDirectories(file("e2e/target/e2e-logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log file {@code name}.log in {@link #logs()}. */
    public static Path logFile(String name) {
        return logs().resolve(name + ".log");
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> compose() {
        try {
            return new Yaml().load(Files.readString(file("docker-compose.yml")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> composeService(String name) {
        return (Map<String, Object>) ((Map<String, Object>) compose().get("services")).get(name);
    }

    /** A compose service's environment, with ${VAR:-default} resolved to its default as with no .env file. */
    public static Map<String, String> composeEnvironment(String service) {
        return composeEnvironment(service, Map.of());
    }

    /**
     * A compose service's environment interpolated as compose does it: ${VAR:-default} takes VAR from
     * {@code shell} when it is set there and not empty, its default otherwise.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, String> composeEnvironment(String service, Map<String, String> shell) {
        Map<String, Object> environment = (Map<String, Object>) composeService(service).get("environment");
        Map<String, String> resolved = new java.util.LinkedHashMap<>();
        if (environment != null) {
            environment.forEach((key, value) -> resolved.put(key, interpolate(String.valueOf(value), shell)));
        }
        return resolved;
    }

    @SuppressWarnings("unchecked")
    public static Set<String> composeServices() {
        return ((Map<String, Object>) compose().get("services")).keySet();
    }

    /** The ports compose publishes for a service: container port to host port. */
    @SuppressWarnings("unchecked")
    public static Map<Integer, Integer> publishedPorts(String service) {
        Map<Integer, Integer> ports = new java.util.LinkedHashMap<>();
        Object entries = composeService(service).get("ports");
        if (entries instanceof List<?> list) {
            for (Object entry : list) {
                String[] parts = entry.toString().split(":");
                ports.put(Integer.parseInt(parts[parts.length - 1].replaceAll("/.*", "")),
                        Integer.parseInt(parts[parts.length - 2]));
            }
        }
        return ports;
    }

    @SuppressWarnings("unchecked")
    public static List<String> composeCommand(String service) {
        return new ArrayList<>((List<String>) composeService(service).get("command"));
    }

    static String interpolate(String value, Map<String, String> shell) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String set = shell.get(matcher.group(1));
            String fallback = matcher.group(2) == null ? "" : matcher.group(2);
            matcher.appendReplacement(out, Matcher.quoteReplacement(set != null && !set.isEmpty() ? set : fallback));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
