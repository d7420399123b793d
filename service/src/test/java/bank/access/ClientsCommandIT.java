package bank.access;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.Await;
import bank.testing.BankApi;
import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code clients create}, {@code list} and {@code revoke} as an operator runs them: the service's jar as a process
 * with config.yml and the database in the environment, against the database of a running service.
 */
class ClientsCommandIT {

    private static final Path JAR = Path.of("target", "bank-service.jar");
    private static final Pattern CREATED = Pattern.compile(
            "Created API client ([0-9a-f-]{36}) \"my app\" with the scopes accounts:read accounts:write\\.\n"
                    + "Its key, shown this once only \\(keep it secret\\):\n(bank_sk_[0-9A-Za-z]{43})\n");

    /** The service and the command read the same settings, as they would from one deployment's environment. */
    private static final String KEY_CACHE_TTL = "1s";

    @RegisterExtension
    static final BankApi api = new BankApi(ConfigOverride.config("access.keyCacheTtl", KEY_CACHE_TTL));

    record Run(int exitCode, String out, String err) {
    }

    @Test
    void aClientIsCreatedListedUsedAndRevokedEndToEnd() throws Exception {
        Run created = clients("create", "--name", "my app", "--scope", "accounts:read", "--scope", "accounts:write");

        assertThat(created.exitCode()).as(created.err()).isZero();
        Matcher output = CREATED.matcher(created.out());
        assertThat(output.matches()).as(created.out()).isTrue();
        String id = output.group(1);
        String key = output.group(2);
        assertThat(api.database().queryLong("SELECT count(*) FROM api_clients WHERE id = ?::uuid AND key_hash = "
                + "decode(?, 'hex')", id, HexFormat.of().formatHex(ApiKeys.hash(key)))).isEqualTo(1);
        assertThat(api.database().queryLong("SELECT count(*) FROM api_clients c WHERE c::text LIKE ?",
                "%" + key.substring(ApiKeys.SHOWN_LENGTH) + "%")).as("the key anywhere in the table").isZero();

        api.withKey(key).post("/v1/accounts", java.util.Map.of("firstName", "Ada", "lastName", "L")).expect(201);
        api.withKey(key).get("/v1/accounts").expect(200);
        api.withKey(key).post("/v1/transfers", "{}", "Idempotency-Key", "k")
                .expectProblem(403, "urn:problem:insufficient-scope");

        Run listed = clients("list");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).startsWith("ID ").contains(id + "  my app  " + key.substring(0, 12) + "...")
                .contains("active; accounts:read accounts:write")
                .doesNotContain(key.substring(ApiKeys.SHOWN_LENGTH));

        Run revoked = clients("revoke", id);
        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        assertThat(revoked.out()).startsWith("Revoked API client " + id + " \"my app\" on ")
                .contains("stops working on every instance within 1 s");
        Await.until("the revoked key is refused", Duration.ofSeconds(10),
                () -> api.withKey(key).get("/v1/accounts").status() == 401);
        assertThat(clients("list").out()).containsPattern(id + " .* revoked \\d{4}-\\d\\d-\\d\\dT[0-9:]+Z; "
                + "accounts:read accounts:write");
    }

    @Test
    void mistakesAreOneLineMessagesAndChangeNothing() throws Exception {
        long before = api.database().queryLong("SELECT count(*) FROM api_clients");

        Run unknownScope = clients("create", "--name", "x", "--scope", "accounts:delete");
        Run noScope = clients("create", "--name", "x");
        Run notAnId = clients("revoke", "123");
        Run unknownId = clients("revoke", "01a21f29-ee76-73a3-ba00-57b9fc659254");

        assertThat(unknownScope.exitCode()).isNotZero();
        assertThat(unknownScope.err().strip()).isEqualTo("clients create: unknown scope \"accounts:delete\"; the scopes "
                + "are accounts:read, accounts:write, transactions:read, transactions:write, transfers:write, admin");
        assertThat(noScope.exitCode()).isNotZero();
        assertThat(noScope.err()).contains("--scope is required");
        assertThat(notAnId.exitCode()).isNotZero();
        assertThat(notAnId.err().strip()).isEqualTo("clients revoke: \"123\" is not a client id; `clients list` shows them");
        assertThat(unknownId.exitCode()).isNotZero();
        assertThat(unknownId.err().strip()).isEqualTo("clients revoke: no client has the id "
                + "01a21f29-ee76-73a3-ba00-57b9fc659254");
        assertThat(api.database().queryLong("SELECT count(*) FROM api_clients")).isEqualTo(before);
    }

    /** Runs {@code java -jar bank-service.jar clients ... config.yml} against the test service's database. */
    private static Run clients(String... arguments) throws IOException, InterruptedException {
        if (!Files.exists(JAR)) {
            throw new AssertionError("no " + JAR.toAbsolutePath() + ": run the integration tests with `mvn verify`, "
                    + "which packages the jar first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "clients"));
        command.addAll(List.of(arguments));
        command.add("config.yml");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("DATABASE_URL", api.database().url());
        builder.environment().put("DATABASE_USER", bank.testing.TestDatabase.USER);
        builder.environment().put("DATABASE_PASSWORD", bank.testing.TestDatabase.PASSWORD);
        builder.environment().put("API_KEY_CACHE_TTL", KEY_CACHE_TTL);
        Path err = Files.createTempFile("clients", ".err");
        Process process = builder.redirectError(err.toFile()).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the command finished").isTrue();
        String errors = Files.readString(err);
        Files.delete(err);
        return new Run(process.exitValue(), out, errors);
    }
}
