package bank.e2e.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    public static String tool(String script) {
        String name = script.replace(".sh", "");
        Path stdout = logFile(name + ".stdout");
        Command.run(name, List.of("bash", file("tools/" + script).toString()), Duration.ofMinutes(30), stdout)
                .assertSucceeded();
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
    @SuppressWarnings("unchecked")
    public static Map<String, String> composeEnvironment(String service) {
        Map<String, Object> environment = (Map<String, Object>) composeService(service).get("environment");
        Map<String, String> resolved = new java.util.LinkedHashMap<>();
        environment.forEach((key, value) -> resolved.put(key, withDefaults(String.valueOf(value))));
        return resolved;
    }

    @SuppressWarnings("unchecked")
    public static List<String> composeCommand(String service) {
        return new ArrayList<>((List<String>) composeService(service).get("command"));
    }

    static String withDefaults(String value) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(2) == null ? "" : matcher.group(2)));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
