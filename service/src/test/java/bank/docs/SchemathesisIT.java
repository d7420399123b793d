package bank.docs;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Schemathesis against the running service on a fresh database: every check, a fixed seed, all phases
 * (examples, coverage, fuzzing and stateful testing along the document's links), and at least
 * {@value #MIN_CASES} generated cases. Any 5xx, or any response the OpenAPI document does not describe, fails
 * the test. The run's output, JUnit report and a summary (cases, time) are in {@code target/schemathesis/}.
 */
class SchemathesisIT {

    private static final int SEED = 20261128;
    private static final int MAX_EXAMPLES_PER_OPERATION = 250;
    private static final int MIN_CASES = 2_000;
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Path CONFIG = Path.of("src/test/schemathesis").toAbsolutePath();
    private static final Path REPORTS = Path.of("target/schemathesis").toAbsolutePath();

    /** The run checks the document, not the rate limit: its one client may send as fast as it can. */
    @RegisterExtension
    static final BankApi api = new BankApi(ConfigOverride.config("access.rateLimit.perSecond", "100000"),
            ConfigOverride.config("access.rateLimit.burst", "100000"));

    @Test
    void theServiceHonoursItsOpenApiDocument() throws Exception {
        Path st = schemathesis();
        Files.createDirectories(REPORTS);
        // The service builds its document on the first request; schemathesis gives up loading it after 10 s, which
        // a loaded machine can take for that build.
        api.get("/openapi.json").expect(200);
        List<String> command = new ArrayList<>(List.of(st.toString(),
                "--config-file", CONFIG.resolve("schemathesis.toml").toString(),
                "run", api.uri("/openapi.json").toString(),
                "--checks", "all",
                "--phases", "examples,coverage,fuzzing,stateful",
                "--seed", Integer.toString(SEED),
                "--max-examples", Integer.toString(MAX_EXAMPLES_PER_OPERATION),
                "--generation-database", "none",
                // One worker: with several, hypothesis parses lambda sources with ast.parse from several threads,
                // which CPython 3.11 can fail with "AST constructor recursion depth mismatch" (CPython issue 106905).
                "--workers", "1",
                "--request-timeout", "20",
                "--no-color",
                "--report", "junit",
                "--report-dir", REPORTS.toString()));
        // The test class's key, with every scope but admin; schemathesis's ignored_auth check also sends requests
        // without it and with a wrong one, which must get 401.
        command.add("--header");
        command.add("Authorization: Bearer " + api.client().key());
        Path output = REPORTS.resolve("output.txt");
        // Run inside target/, where schemathesis also keeps its cache of crashes.
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPORTS.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("SCHEMATHESIS_HOOKS", "hooks");
        builder.environment().put("PYTHONPATH", CONFIG.toString());
        long started = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(40, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("schemathesis did not finish within 40 minutes; output in " + output);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String text = Files.readString(output, StandardCharsets.UTF_8);

        Matcher cases = Pattern.compile("(\\d+) generated").matcher(text);
        int generated = cases.find() ? Integer.parseInt(cases.group(1)) : 0;
        Files.writeString(REPORTS.resolve("summary.txt"), String.format(Locale.ROOT,
                "schemathesis seed=%d max-examples=%d: %d cases in %d s, exit code %d%n",
                SEED, MAX_EXAMPLES_PER_OPERATION, generated, took.toSeconds(), process.exitValue()));
        System.out.printf(Locale.ROOT, "schemathesis: %d cases in %d s (output in %s)%n", generated, took.toSeconds(), output);

        assertThat(process.exitValue()).as("schemathesis exit code; its report:%n%s", tail(text)).isZero();
        assertThat(text).contains("Stateful");
        assertThat(generated).as("generated test cases").isGreaterThanOrEqualTo(MIN_CASES);
    }

    /** The venv tools/install-schemathesis.sh makes, keyed by the pinned requirements' hash. */
    private static Path schemathesis() throws IOException, NoSuchAlgorithmException {
        Path requirements = REPOSITORY.resolve("tools/schemathesis/requirements.txt");
        String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(requirements))).substring(0, 16);
        String cache = System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache");
        Path venv = Path.of(cache, "observable-bank", "schemathesis-" + key);
        if (!Files.exists(venv.resolve(".complete"))) {
            throw new AssertionError("schemathesis is not installed: run tools/install-schemathesis.sh (needs Python 3 "
                    + "with venv and PyPI); expected it in " + venv);
        }
        return venv.resolve("bin/st");
    }

    private static String tail(String text) {
        return text.length() <= 20_000 ? text : text.substring(text.length() - 20_000);
    }
}
