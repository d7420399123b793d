package bank.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.Await;
import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import io.dropwizard.testing.ConfigOverride;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IdempotencyApiIT {

    /** A lock wait longer than the test needs to hold an account row while it sends a duplicate. */
    @RegisterExtension
    static final BankApi api = new BankApi(ConfigOverride.config("database.properties.options",
            "-c statement_timeout=30000 -c lock_timeout=20000"));

    @Test
    void aRetryReplaysTheFirstResponseWithoutASecondEffect() {
        String from = funded(10_000);
        String to = api.openAccount("USD");
        Map<String, Object> transfer = transfer(from, to, 2_500);

        Reply first = api.post("/v1/transfers", transfer, "Idempotency-Key", "retry-1").expect(201);
        Reply retry = api.post("/v1/transfers", transfer, "Idempotency-Key", "retry-1").expect(201);

        assertThat(retry.raw()).isEqualTo(first.raw());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(api.balance(from)).isEqualTo(7_500);
        assertThat(api.database().queryLong("SELECT count(*) FROM transfers")).isEqualTo(1);
    }

    @Test
    void replaysWorkForEveryPost() {
        Map<String, String> person = Map.of("firstName", "Ada", "lastName", "Lovelace");
        Reply opened = api.post("/v1/accounts", person, "Idempotency-Key", "open-1").expect(201);
        assertThat(api.post("/v1/accounts", person, "Idempotency-Key", "open-1").expect(201).raw()).isEqualTo(opened.raw());

        String account = opened.text("id");
        Map<String, Object> credit = Map.of("type", "CREDIT", "amount", 300);
        String path = "/v1/accounts/" + account + "/transactions";
        Reply posted = api.post(path, credit, "Idempotency-Key", "credit-1").expect(201);
        assertThat(api.post(path, credit, "Idempotency-Key", "credit-1").expect(201).raw()).isEqualTo(posted.raw());

        assertThat(api.database().queryLong("SELECT count(*) FROM accounts")).isEqualTo(1);
        assertThat(api.balance(account)).isEqualTo(300);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        String from = funded(10_000);
        String to = api.openAccount("USD");
        api.post("/v1/transfers", transfer(from, to, 100), "Idempotency-Key", "mismatch-1").expect(201);

        Reply refused = api.post("/v1/transfers", transfer(from, to, 101), "Idempotency-Key", "mismatch-1").expect(422);

        assertThat(refused.text("type")).isEqualTo("/problems/idempotency-key-reused");
        assertThat(api.balance(from)).isEqualTo(9_900);
    }

    @Test
    void theSameKeyOnAnotherEndpointIsRefused() {
        String account = funded(100);
        api.post("/v1/accounts", Map.of("firstName", "A", "lastName", "B"), "Idempotency-Key", "cross-1").expect(201);

        Reply refused = api.post("/v1/accounts/" + account + "/transactions", Map.of("type", "CREDIT", "amount", 1),
                "Idempotency-Key", "cross-1").expect(422);

        assertThat(refused.text("type")).isEqualTo("/problems/idempotency-key-reused");
        assertThat(api.balance(account)).isEqualTo(100);
    }

    @Test
    void aRefusalIsReplayedTooEvenAfterTheAccountIsFunded() {
        String from = funded(100);
        String to = api.openAccount("USD");

        Reply refused = api.post("/v1/transfers", transfer(from, to, 500), "Idempotency-Key", "refused-1").expect(422);
        api.credit(from, 1_000);
        Reply retry = api.post("/v1/transfers", transfer(from, to, 500), "Idempotency-Key", "refused-1").expect(422);

        assertThat(retry.raw()).isEqualTo(refused.raw());
        assertThat(retry.text("type")).isEqualTo("/problems/insufficient-funds");
        assertThat(retry.header("Content-Type")).startsWith("application/problem+json");
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(api.database().queryLong("SELECT count(*) FROM transfers")).isZero();
        assertThat(api.balance(from)).isEqualTo(1_100);
        assertThat(api.balance(to)).isZero();
    }

    @Test
    void aDuplicateWhileTheFirstIsInFlightGets409() throws Exception {
        String from = funded(1_000);
        String to = api.openAccount("USD");
        Map<String, Object> transfer = transfer(from, to, 400);
        Reply first;

        try (Connection holder = api.database().lockAccount(from)) {
            CompletableFuture<Reply> inFlight = CompletableFuture.supplyAsync(
                    () -> api.post("/v1/transfers", transfer, "Idempotency-Key", "inflight-1"));
            Await.until("the first request holds its key", Duration.ofSeconds(15),
                    () -> KeyLocks.held(api.database(), api.client(), "inflight-1"));

            Reply duplicate = api.post("/v1/transfers", transfer, "Idempotency-Key", "inflight-1").expect(409);

            assertThat(duplicate.text("type")).isEqualTo("/problems/request-in-progress");
            assertThat(duplicate.header("Retry-After")).isEqualTo("1");
            assertThat(inFlight).isNotDone();
            holder.commit();
            first = inFlight.get(30, TimeUnit.SECONDS).expect(201);
        }

        Reply retry = api.post("/v1/transfers", transfer, "Idempotency-Key", "inflight-1").expect(201);
        assertThat(retry.raw()).isEqualTo(first.raw());
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(api.balance(from)).isEqualTo(600);
        assertThat(KeyLocks.held(api.database(), api.client(), "inflight-1")).as("the lock ends with its transaction").isFalse();
    }

    @Test
    void concurrentDuplicatesApplyOnceAndAllSeeTheSameResult() throws Exception {
        String from = funded(1_000_000);
        String to = api.openAccount("USD");
        Map<String, Object> transfer = transfer(from, to, 1_234);
        int clients = 12;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return api.post("/v1/transfers", transfer, "Idempotency-Key", "burst-1");
                }));
            }
            start.countDown();
            List<String> created = new ArrayList<>();
            int firstRuns = 0;
            for (Future<Reply> future : replies) {
                Reply reply = future.get(60, TimeUnit.SECONDS);
                assertThat(reply.status()).as(reply.raw()).isIn(201, 409);
                if (reply.status() == 201) {
                    created.add(reply.raw());
                    firstRuns += reply.header("Idempotent-Replayed") == null ? 1 : 0;
                } else {
                    assertThat(reply.text("type")).isEqualTo("/problems/request-in-progress");
                    assertThat(reply.header("Retry-After")).isEqualTo("1");
                }
            }
            assertThat(firstRuns).as("responses that are not replays").isEqualTo(1);
            assertThat(created).allMatch(body -> body.equals(created.get(0)));
        } finally {
            pool.shutdownNow();
        }

        assertThat(api.database().queryLong("SELECT count(*) FROM transfers")).isEqualTo(1);
        assertThat(api.balance(from)).isEqualTo(1_000_000 - 1_234);
        assertThat(api.balance(to)).isEqualTo(1_234);
    }

    @Test
    void anExpiredKeyCountsAsNew() {
        String from = funded(1_000);
        String to = api.openAccount("USD");
        api.post("/v1/transfers", transfer(from, to, 100), "Idempotency-Key", "old-1").expect(201);
        api.database().execute("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old-1'");

        api.post("/v1/transfers", transfer(from, to, 200), "Idempotency-Key", "old-1").expect(201);

        assertThat(api.balance(from)).isEqualTo(700);
    }

    @Test
    void aResponseStoredBehindTheLocksBackMakesThePost409AndRollsItsWorkBack() throws Exception {
        String account = funded(100);
        String path = "/v1/accounts/" + account + "/transactions";
        CompletableFuture<Reply> credit;

        // A writer that skipped the key's lock (there is none in the service) is the only way to get here: the
        // request runs its work, then finds the primary key taken when it stores its response.
        try (Connection intruder = api.database().connect()) {
            intruder.setAutoCommit(false);
            try (Statement insert = intruder.createStatement()) {
                insert.execute("INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, "
                        + "created_at) VALUES ('" + api.client().id() + "', 'guard-1', 'another request', 201, '{}', now())");
            }
            credit = CompletableFuture.supplyAsync(
                    () -> api.post(path, Map.of("type", "CREDIT", "amount", 50), "Idempotency-Key", "guard-1"));
            Await.until("the request waits to store its response", Duration.ofSeconds(15), () -> api.database()
                    .queryLong("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE "
                            + "l.locktype = 'transactionid' AND NOT l.granted AND a.datname = current_database()") == 1);
            intruder.commit();
        }

        Reply refused = credit.get(30, TimeUnit.SECONDS).expect(409);
        assertThat(refused.text("type")).isEqualTo("/problems/request-in-progress");
        assertThat(refused.text("detail")).contains("completed meanwhile");
        assertThat(api.balance(account)).isEqualTo(100);
        assertThat(api.database().queryLong("SELECT count(*) FROM transactions")).isEqualTo(1);
        Reply retry = api.post(path, Map.of("type", "CREDIT", "amount", 50), "Idempotency-Key", "guard-1").expect(422);
        assertThat(retry.text("type")).isEqualTo("/problems/idempotency-key-reused");
    }

    @Test
    void aPostThatMovesMoneyNeedsAKeyAndWithoutOneWritesNothing() {
        String from = funded(1_000);
        String to = api.openAccount("USD");

        List<Reply> refused = List.of(
                api.post("/v1/accounts/" + from + "/transactions", Map.of("type", "DEBIT", "amount", 10)).expect(400),
                api.post("/v1/transfers", transfer(from, to, 10)).expect(400));

        for (Reply reply : refused) {
            assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
            assertThat(reply.text("type")).isEqualTo("/problems/idempotency-key-required");
            assertThat(reply.text("title")).isEqualTo("Idempotency key required");
            assertThat(reply.text("detail")).contains("moves money", "Idempotency-Key", "retry with the same key is safe");
        }
        assertThat(api.balance(from)).isEqualTo(1_000);
        assertThat(api.balance(to)).isZero();
        assertThat(api.database().queryLong("SELECT count(*) FROM transactions")).isEqualTo(1);
        assertThat(api.database().queryLong("SELECT count(*) FROM transfers")).isZero();
        assertThat(api.database().queryLong("SELECT count(*) FROM idempotency_keys")).isEqualTo(1);
    }

    @Test
    void openingAnAccountWithoutAKeyStoresNoKey() {
        api.post("/v1/accounts", Map.of("firstName", "Ada", "lastName", "Lovelace")).expect(201);

        assertThat(api.database().queryLong("SELECT count(*) FROM accounts")).isEqualTo(1);
        assertThat(api.database().queryLong("SELECT count(*) FROM idempotency_keys")).isZero();
    }

    private static String funded(long amount) {
        String account = api.openAccount("USD");
        api.credit(account, amount);
        return account;
    }

    private static Map<String, Object> transfer(String from, String to, long amount) {
        return Map.of("fromAccountId", from, "toAccountId", to, "amount", amount);
    }
}
