package bank.docs;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract cannot change silently: the document the running service serves must be the one committed in
 * {@code docs/openapi.yaml} (so every change shows in a diff under review), and that document must break nothing of
 * the last released one ({@code docs/api-baseline/}) that {@code docs/api-changelog.md} does not list, as oasdiff
 * judges it.
 */
class OpenApiContractIT {

    /** Rewrites docs/openapi.yaml from the running service instead of comparing with it. */
    static final String REGENERATE = "./mvnw -B -q -pl service -am verify -Dtest=none -Dit.test=OpenApiContractIT "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.regenerate=true";
    static final String OASDIFF_VERSION = "1.37.0";

    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Path COMMITTED = REPOSITORY.resolve("docs/openapi.yaml");
    private static final Path BASELINE = REPOSITORY.resolve("docs/api-baseline/openapi-1.0.yaml");
    private static final Path CHANGELOG = REPOSITORY.resolve("docs/api-changelog.md");
    /** A line of the changelog that accepts one breaking change: {@code - `rule-id` `METHOD /path`: why}. */
    private static final Pattern ACCEPTED = Pattern.compile("^- `([a-z0-9-]+)` `([A-Z]+) (/[^`]*)`: .+$", Pattern.MULTILINE);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

    @RegisterExtension
    static final BankApi api = new BankApi();

    @Test
    void theServedDocumentIsTheCommittedOne() throws Exception {
        String served = canonical(api.get("/openapi.json").expect(200).body());
        if (Boolean.getBoolean("openapi.regenerate")) {
            Files.writeString(COMMITTED, served, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        if (!committed.equals(served)) {
            Path actual = Path.of("target/openapi-served.yaml").toAbsolutePath();
            Files.writeString(actual, served, StandardCharsets.UTF_8);
            throw new AssertionError("The service's OpenAPI document differs from docs/openapi.yaml:\n\n"
                    + run(List.of("diff", "-u", relative(COMMITTED), actual.toString())).output()
                    + "\nIf the change is intended, regenerate the committed document from the repository's root:\n  "
                    + REGENERATE + "\nand commit it (and list any breaking change in docs/api-changelog.md).");
        }
    }

    @Test
    void nothingBreaksTheReleasedDocumentThatTheChangelogDoesNotList() throws Exception {
        Path oasdiff = oasdiff();
        List<String> command = List.of(oasdiff.toString(), "breaking", relative(BASELINE), relative(COMMITTED),
                "--fail-on", "ERR", "--format", "json");
        Result result = run(command);
        // 0: nothing at ERR, 1: something at ERR; anything else is oasdiff failing to read a document.
        assertThat(result.exitCode()).as("%s exited with:%n%s", String.join(" ", command), result.output()).isIn(0, 1);
        JsonNode findings = new ObjectMapper().readTree(result.output().isBlank() ? "[]" : result.output());
        Set<String> accepted = accepted();
        List<String> unlisted = new ArrayList<>();
        for (JsonNode finding : findings) {
            if (finding.path("level").asInt() >= 3) {
                String key = finding.path("id").asText() + " " + finding.path("operation").asText() + " "
                        + finding.path("path").asText();
                if (!accepted.contains(key)) {
                    unlisted.add(key + ": " + finding.path("text").asText());
                }
            }
        }
        String text = run(List.of(oasdiff.toString(), "breaking", relative(BASELINE), relative(COMMITTED))).output();
        assertThat(unlisted).as("breaking changes against %s that docs/api-changelog.md does not accept (%s);"
                + " oasdiff says:%n%s", REPOSITORY.relativize(BASELINE), String.join(" ", command), text).isEmpty();
    }

    private static String relative(Path file) {
        return REPOSITORY.relativize(file).toString();
    }

    /** The changelog's accepted breaking changes, as {@code rule-id METHOD /path}. */
    static Set<String> accepted() throws IOException {
        Matcher lines = ACCEPTED.matcher(Files.readString(CHANGELOG, StandardCharsets.UTF_8));
        Set<String> accepted = new TreeSet<>();
        while (lines.find()) {
            accepted.add(lines.group(1) + " " + lines.group(2) + " " + lines.group(3));
        }
        return accepted;
    }

    /** The document with every object's keys sorted, as YAML: the same document always gives the same bytes. */
    static String canonical(JsonNode document) throws IOException {
        return YAML.writeValueAsString(sorted(document));
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                fields.put(name, sorted(node.get(name)));
            }
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            fields.forEach(object::set);
            return object;
        }
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> array.add(sorted(item)));
            return array;
        }
        return node;
    }

    /** The binary tools/build-oasdiff.sh builds and caches. */
    private static Path oasdiff() {
        String cache = System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache");
        Path binary = Path.of(cache, "observable-bank", "oasdiff-v" + OASDIFF_VERSION, "oasdiff");
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("oasdiff is not built: run tools/build-oasdiff.sh (needs Go); expected " + binary);
        }
        return binary;
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a command from the repository's root, its standard error going to the test's own. */
    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(REPOSITORY.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
