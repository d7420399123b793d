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
            "Created API client ([0-9a-f-]{36}) \"my app\" with the scopes accounts:read accounts:write and the rate "
                    + "limit 100/s, burst 200 \\(the default\\)\\.\n"
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
        assertThat(api.database().queryLong("SELECT count(*) FROM api_keys WHERE client_id = ?::uuid AND key_hash = "
                + "decode(?, 'hex')", id, HexFormat.of().formatHex(ApiKeys.hash(key)))).isEqualTo(1);
        assertThat(api.database().queryLong("SELECT count(*) FROM api_clients c JOIN api_keys k ON k.client_id = c.id "
                + "WHERE c::text LIKE ? OR k::text LIKE ?", "%" + key.substring(ApiKeys.SHOWN_LENGTH) + "%",
                "%" + key.substring(ApiKeys.SHOWN_LENGTH) + "%")).as("the key anywhere in the tables").isZero();

        api.withKey(key).post("/v1/accounts", java.util.Map.of("firstName", "Ada", "lastName", "L")).expect(201);
        api.withKey(key).get("/v1/accounts").expect(200);
        api.withKey(key).post("/v1/transfers", "{}", "Idempotency-Key", "k")
                .expectProblem(403, "/problems/insufficient-scope");

        Await.until("the key's use is recorded", Duration.ofSeconds(30), () -> api.database().queryLong(
                "SELECT count(*) FROM api_keys WHERE client_id = ?::uuid AND last_used_at IS NOT NULL", id) == 1);
        Run listed = clients("list");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).startsWith("ID ")
                .contains(id + "  my app  active; accounts:read accounts:write; 100/s, burst 200 (the default)")
                .containsPattern("\n    key " + key.substring(0, 12) + "\\.\\.\\. +active +no expiry +last used "
                        + "\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z\n")
                .doesNotContain(key.substring(ApiKeys.SHOWN_LENGTH));

        Run revoked = clients("revoke", id);
        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        assertThat(revoked.out()).startsWith("Revoked API client " + id + " \"my app\" on ")
                .contains("Its keys stop working on every instance within 1 s");
        Await.until("the revoked key is refused", Duration.ofSeconds(10),
                () -> api.withKey(key).get("/v1/accounts").status() == 401);
        assertThat(clients("list").out()).containsPattern(id + " .* revoked \\d{4}-\\d\\d-\\d\\dT[0-9:]+Z; "
                + "accounts:read accounts:write").containsPattern("key " + key.substring(0, 12) + "\\.\\.\\. +revoked "
                + "+since \\d{4}-");
    }

    @Test
    void aClientsOwnRateLimitIsSetAtCreationChangedAndPutBackOnTheDefaultWhileTheServiceRuns() throws Exception {
        Run created = clients("create", "--name", "slow app", "--scope", "accounts:read", "--rate-limit", "0.5/s",
                "--burst", "3");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("and the rate limit 0.5/s, burst 3.");
        String id = created.out().substring("Created API client ".length(), "Created API client ".length() + 36);
        String key = created.out().lines().reduce((first, last) -> last).orElseThrow();
        BankApi app = api.withKey(key);
        assertThat(app.get("/v1/accounts").expect(200).header("RateLimit-Policy")).isEqualTo("\"per-client\";q=3;w=6");

        Run changed = clients("set-rate-limit", id, "20/s");
        assertThat(changed.exitCode()).as(changed.err()).isZero();
        assertThat(changed.out().strip()).isEqualTo("API client " + id + " \"slow app\" now has the rate limit 20/s, "
                + "burst 40, on every instance within 1 s (access.keyCacheTtl) at most.");
        Await.until("the new limit applies", Duration.ofSeconds(10),
                () -> "\"per-client\";q=40;w=2".equals(app.get("/v1/accounts").header("RateLimit-Policy")));
        assertThat(clients("list").out()).contains(id + "  slow app  active; accounts:read; 20/s, burst 40\n");

        Run reset = clients("set-rate-limit", id, "default");
        assertThat(reset.exitCode()).as(reset.err()).isZero();
        assertThat(reset.out()).contains("now has the rate limit 100/s, burst 200 (the default)");
        Await.until("the default applies again", Duration.ofSeconds(10),
                () -> "\"per-client\";q=200;w=2".equals(app.get("/v1/accounts").header("RateLimit-Policy")));
        assertThat(api.database().queryLong("SELECT count(*) FROM api_clients WHERE id = ?::uuid AND "
                + "rate_limit_per_second IS NULL AND rate_limit_burst IS NULL", id)).isEqualTo(1);
    }

    @Test
    void aRotatedClientHoldsTwoLiveKeysThenOneAndListsEachKeysState() throws Exception {
        Run created = clients("create", "--name", "rotating app", "--scope", "accounts:read");
        String id = created.out().substring("Created API client ".length(), "Created API client ".length() + 36);
        String oldKey = created.out().lines().reduce((first, last) -> last).orElseThrow();

        Run rotated = clients("rotate", id, "--old-key-expires-in", "1h");
        assertThat(rotated.exitCode()).as(rotated.err()).isZero();
        assertThat(rotated.out()).startsWith("Gave API client " + id + " \"rotating app\" a new key. Its other keys "
                + "stop working within 1h:\n  " + oldKey.substring(0, 12) + "... until ")
                .contains("The new key, shown this once only (keep it secret):\n");
        String newKey = rotated.out().lines().reduce((first, last) -> last).orElseThrow();
        assertThat(newKey).startsWith(ApiKeys.PREFIX).isNotEqualTo(oldKey);
        api.withKey(oldKey).get("/v1/accounts").expect(200);
        api.withKey(newKey).get("/v1/accounts").expect(200);
        assertThat(clients("list").out())
                .containsPattern("key " + oldKey.substring(0, 12) + "\\.\\.\\. +expiring +until \\d{4}-")
                .containsPattern("key " + newKey.substring(0, 12) + "\\.\\.\\. +active +no expiry +");

        Run third = clients("rotate", id);
        assertThat(third.exitCode()).isNotZero();
        assertThat(third.err().strip()).isEqualTo("clients rotate: the client " + id + " already holds 2 live keys; "
                + "rotate again once the older has expired, or end both now with --old-key-expires-in 0s");
        assertThat(api.database().queryLong("SELECT count(*) FROM api_keys WHERE client_id = ?::uuid", id)).isEqualTo(2);

        Run now = clients("rotate", id, "--old-key-expires-in", "0s");
        assertThat(now.exitCode()).as(now.err()).isZero();
        String newest = now.out().lines().reduce((first, last) -> last).orElseThrow();
        Await.until("both older keys are refused", Duration.ofSeconds(10),
                () -> api.withKey(oldKey).get("/v1/accounts").status() == 401
                        && api.withKey(newKey).get("/v1/accounts").status() == 401);
        api.withKey(newest).get("/v1/accounts").expect(200);
        assertThat(clients("list").out())
                .containsPattern("key " + oldKey.substring(0, 12) + "\\.\\.\\. +expired +until \\d{4}-")
                .containsPattern("key " + newKey.substring(0, 12) + "\\.\\.\\. +expired +until \\d{4}-")
                .containsPattern("key " + newest.substring(0, 12) + "\\.\\.\\. +active +no expiry +");
    }

    @Test
    void mistakesAreOneLineMessagesAndChangeNothing() throws Exception {
        long before = api.database().queryLong("SELECT count(*) FROM api_clients");
        long keysBefore = api.database().queryLong("SELECT count(*) FROM api_keys");

        Run unknownScope = clients("create", "--name", "x", "--scope", "accounts:delete");
        Run noScope = clients("create", "--name", "x");
        Run notAnId = clients("revoke", "123");
        Run unknownId = clients("revoke", "01a21f29-ee76-73a3-ba00-57b9fc659254");
        Run notARate = clients("create", "--name", "x", "--scope", "accounts:read", "--rate-limit", "fast");
        Run burstAlone = clients("create", "--name", "x", "--scope", "accounts:read", "--burst", "5");
        Run notADuration = clients("rotate", api.client().id().toString(), "--old-key-expires-in", "soon");
        Run unknownRotated = clients("rotate", "01a21f29-ee76-73a3-ba00-57b9fc659254");

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
        assertThat(notARate.err().strip()).isEqualTo("clients create: \"fast\" is not a rate: write it as requests "
                + "per second, such as 50/s or 0.5/s");
        assertThat(burstAlone.err().strip()).isEqualTo("clients create: --burst goes with --rate-limit");
        assertThat(notADuration.err().strip()).isEqualTo("clients rotate: \"soon\" is not a duration; write it as "
                + "24h, 30m or 0s");
        assertThat(unknownRotated.err().strip()).isEqualTo("clients rotate: no client has the id "
                + "01a21f29-ee76-73a3-ba00-57b9fc659254");
        assertThat(List.of(notARate, burstAlone, notADuration, unknownRotated)).allMatch(run -> run.exitCode() != 0);
        assertThat(api.database().queryLong("SELECT count(*) FROM api_clients")).isEqualTo(before);
        assertThat(api.database().queryLong("SELECT count(*) FROM api_keys")).isEqualTo(keysBefore);
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
