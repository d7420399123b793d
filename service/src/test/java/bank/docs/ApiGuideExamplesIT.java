package bank.docs;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import bank.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The examples of the API guide (docs/api.md), run in order by bash from the repository's root against the service
 * on an empty database, as a reader would paste them, and compared with the outputs the guide shows. The reader's
 * key is in {@code BANK_API_KEY}, and {@code clients create} finds the service's database in {@code DATABASE_URL}.
 * Ids, keys and timestamps differ on every run, so both sides have them replaced: each distinct id by its order of
 * first appearance (the account of the third example must still be the one the fifth example credits), keys and
 * timestamps and request ids by placeholders. The guide trims headers, so only the headers it shows are compared.
 */
class ApiGuideExamplesIT {

    @RegisterExtension
    static final BankApi api = new BankApi();

    private static final Path GUIDE = Path.of("..", "docs", "api.md");
    private static final String SECTION_START = "# The API, by example";
    private static final String SECTION_END = "## Rules of the API";
    private static final String DOCUMENTED_ADDRESS = "localhost:8080";
    private static final String SEPARATOR = "@@ next example @@";

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern KEY = Pattern.compile("bank_sk_[0-9A-Za-z]{43}");
    /** The first 12 characters of a key, as {@code clients list} and {@code clients rotate} show it. */
    private static final Pattern KEY_PREFIX = Pattern.compile("bank_sk_[0-9A-Za-z]{4}\\.\\.\\.");
    /** A request id: the trace id of the request, 32 hex digits. */
    private static final Pattern REQUEST_ID = Pattern.compile("\\b[0-9a-f]{32}\\b");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One ```sh block and the output block that follows it, if any. */
    record Example(String script, String expectedOutput) {
    }

    @Test
    void everyExampleOfTheApiGuideGivesTheOutputItShows() throws Exception {
        List<Example> examples = examples(Files.readString(GUIDE));
        assertThat(examples).as("examples in docs/api.md").hasSizeGreaterThan(10);

        List<String> outputs = runInOneShell(examples);

        Ids expectedIds = new Ids();
        Ids actualIds = new Ids();
        for (int i = 0; i < examples.size(); i++) {
            Example example = examples.get(i);
            String actual = outputs.get(i).replace("\r", "").replace(address(), DOCUMENTED_ADDRESS);
            if (example.expectedOutput() == null) {
                actualIds.normalise(actual);
                assertThat(actual).as("example without an output block:%n%s", example.script()).isBlank();
                continue;
            }
            String expected = expectedIds.normalise(example.expectedOutput());
            actual = actualIds.normalise(actual);
            assertSameOutput(example.script(), expected, actual);
        }
    }

    private static void assertSameOutput(String script, String expected, String actual) throws IOException {
        String[] expectedParts = splitHeaders(expected);
        String[] actualParts = splitHeaders(actual);
        if (expectedParts[0] != null) {
            assertThat(actualParts[0]).as("headers of:%n%s", script).isNotNull();
            List<String> actualHeaders = actualParts[0].lines().toList();
            List<String> expectedHeaders = expectedParts[0].lines().toList();
            assertThat(actualHeaders.get(0)).as("status line of:%n%s", script).isEqualTo(expectedHeaders.get(0));
            for (String header : expectedHeaders.subList(1, expectedHeaders.size())) {
                assertThat(actualHeaders).as("headers of:%n%s", script).contains(header);
            }
        }
        if (!expectedParts[1].isBlank() && "{[".indexOf(expectedParts[1].strip().charAt(0)) < 0) {
            assertThat(actualParts[1].strip()).as("output of:%n%s", script).isEqualTo(expectedParts[1].strip());
            return;
        }
        JsonNode expectedBody = JSON.readTree(expectedParts[1]);
        JsonNode actualBody = JSON.readTree(actualParts[1]);
        assertThat(actualBody).as("body of:%n%s%nwhole output:%n%s", script, actual).isEqualTo(expectedBody);
    }

    /** {headers or null, body}: the output of {@code curl -si} has headers, a blank line, then the body. */
    private static String[] splitHeaders(String output) {
        if (!output.startsWith("HTTP/")) {
            return new String[] {null, output};
        }
        int blank = output.indexOf("\n\n");
        return blank < 0 ? new String[] {output, ""} : new String[] {output.substring(0, blank), output.substring(blank + 2)};
    }

    private static List<Example> examples(String guide) {
        int start = guide.indexOf(SECTION_START + "\n");
        int end = guide.indexOf("\n" + SECTION_END + "\n", start);
        assertThat(start).as("docs/api.md has a section '%s'", SECTION_START).isNotNegative();
        assertThat(end).as("docs/api.md has a section '%s' after it", SECTION_END).isPositive();
        List<String> lines = guide.substring(start, end).lines().toList();

        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```sh")) {
                continue;
            }
            int close = lines.subList(i + 1, lines.size()).indexOf("```") + i + 1;
            String script = String.join("\n", lines.subList(i + 1, close));
            String output = null;
            if (close + 1 < lines.size() && (lines.get(close + 1).equals("```") || lines.get(close + 1).equals("```json"))) {
                int outputClose = lines.subList(close + 2, lines.size()).indexOf("```") + close + 2;
                output = String.join("\n", lines.subList(close + 2, outputClose));
                close = outputClose;
            }
            examples.add(new Example(script, output));
            i = close;
        }
        return examples;
    }

    /** Runs every example in one bash process, so that variables such as $A carry over as in a terminal. */
    private static List<String> runInOneShell(List<Example> examples) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder();
        for (Example example : examples) {
            script.append("echo '").append(SEPARATOR).append("'\n")
                    .append(example.script().replace(DOCUMENTED_ADDRESS, address())).append('\n');
        }
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script.toString()).redirectErrorStream(true)
                .directory(GUIDE.getParent().getParent().toFile());
        builder.environment().put("BANK_API_KEY", api.client().key());
        builder.environment().put("DATABASE_URL", api.database().url());
        builder.environment().put("DATABASE_USER", TestDatabase.USER);
        builder.environment().put("DATABASE_PASSWORD", TestDatabase.PASSWORD);
        Process bash = builder.start();
        bash.getOutputStream().close();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(2, TimeUnit.MINUTES)).as("the examples finished").isTrue();
        assertThat(bash.exitValue()).as("bash exit status (curl and jq must be installed); output:%n%s", output).isZero();

        List<String> outputs = new ArrayList<>(List.of(output.split(Pattern.quote(SEPARATOR) + "\n", -1)));
        outputs.remove(0);
        assertThat(outputs).hasSameSizeAs(examples);
        return outputs;
    }

    private static String address() {
        return "localhost:" + api.uri("/").getPort();
    }

    /**
     * Replaces each distinct id by {@code <id-N>} in order of first appearance, keys by {@code <key>}, their prefixes
     * by {@code <key prefix>} and timestamps by {@code <time>}.
     */
    static final class Ids {
        private final Map<String, String> names = new LinkedHashMap<>();

        String normalise(String text) {
            Matcher ids = UUID.matcher(text);
            StringBuilder out = new StringBuilder();
            while (ids.find()) {
                String name = names.computeIfAbsent(ids.group(), id -> "<id-" + (names.size() + 1) + ">");
                ids.appendReplacement(out, Matcher.quoteReplacement(name));
            }
            ids.appendTail(out);
            String keys = KEY_PREFIX.matcher(KEY.matcher(out).replaceAll("<key>")).replaceAll("<key prefix>");
            String keysAndRequestIds = REQUEST_ID.matcher(keys).replaceAll("<request-id>");
            return TIMESTAMP.matcher(keysAndRequestIds).replaceAll("<time>");
        }
    }
}
