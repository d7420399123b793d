package bank.access;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.Await;
import bank.testing.BankApi;
import bank.testing.BankApi.Client;
import bank.testing.BankApi.Reply;
import io.dropwizard.testing.ConfigOverride;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each client has a token bucket of its own: a burst over it gets 429s that did nothing, with the fields that say
 * when to come back; the requests within it succeed, the ledger stays consistent, and a refused request sent again
 * later with its Idempotency-Key takes effect once.
 */
class RateLimitApiIT {

    private static final int BURST = 5;

    @RegisterExtension
    static final BankApi api = new BankApi(ConfigOverride.config("access.rateLimit.burst", Integer.toString(BURST)),
            ConfigOverride.config("access.rateLimit.perSecond", "1"));

    @Test
    void aBurstOverTheLimitGets429sThatDoNothingAndTheRestSucceed() throws Exception {
        BankApi setup = api.as(api.newClient("setup", Scope.ACCOUNTS_WRITE, Scope.TRANSACTIONS_WRITE));
        String account = setup.openAccount("USD");
        setup.credit(account, 1_000);
        Client client = api.newClient("busy", Scope.TRANSACTIONS_WRITE, Scope.ADMIN);
        BankApi busy = api.as(client);
        int requests = 3 * BURST;

        List<Reply> replies = concurrently(requests, () -> busy.postKeyed("/v1/accounts/" + account + "/transactions",
                Map.of("type", "DEBIT", "amount", 10)));

        List<Reply> debited = replies.stream().filter(reply -> reply.status() == 201).toList();
        List<Reply> refused = replies.stream().filter(reply -> reply.status() == 429).toList();
        assertThat(debited.size() + refused.size()).as("every reply is 201 or 429").isEqualTo(requests);
        // The bucket holds BURST, and refills at 1 per second while the burst is under way.
        assertThat(debited.size()).isBetween(BURST, requests - 1);
        for (Reply reply : refused) {
            assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
            assertThat(reply.text("type")).isEqualTo("/problems/too-many-requests");
            assertThat(reply.header("Retry-After")).isEqualTo("1");
            assertThat(reply.header("RateLimit-Policy")).isEqualTo("\"per-client\";q=5;w=5");
            assertThat(reply.header("RateLimit")).isEqualTo("\"per-client\";r=0;t=1");
        }
        assertThat(balanceOf(account)).isEqualTo(1_000 - 10L * debited.size());
        assertThat(api.database().queryLong("SELECT count(*) FROM transactions")).isEqualTo(1 + debited.size());
        assertThat(api.database().queryLong("SELECT count(*) FROM idempotency_keys WHERE scope = ?",
                client.id().toString())).isEqualTo(debited.size());
        assertThat(api.database().queryLong("SELECT count(*) FROM accounts a WHERE a.balance <> (SELECT "
                + "coalesce(sum(CASE t.type WHEN 'CREDIT' THEN t.amount ELSE -t.amount END), 0) FROM transactions t "
                + "WHERE t.account_id = a.id)")).as("accounts whose balance differs from their ledger").isZero();
    }

    @Test
    void everyResponseThatCountedSaysWhatIsLeftAndTheRefusalWhenToComeBack() {
        BankApi client = api.as(api.newClient("pacing", Scope.ACCOUNTS_WRITE, Scope.ACCOUNTS_READ));

        Reply created = client.post("/v1/accounts", Map.of("firstName", "Ada", "lastName", "L")).expect(201);
        Reply read = client.get("/v1/accounts").expect(200);
        Reply missing = client.get("/v1/accounts/01a21f29-ee76-73a3-ba00-57b9fc659254").expect(404);
        Reply forbidden = client.post("/v1/transfers", "{}", "Idempotency-Key", "k").expect(403);
        Reply[] refusal = new Reply[1];
        Await.until("the client is throttled", Duration.ofSeconds(30),
                () -> (refusal[0] = client.get("/v1/accounts")).status() == 429);
        Reply refused = refusal[0];

        // A bucket of 5 that refills at 1 a second: the first request leaves 4, which take a second to come back.
        List<Reply> counted = List.of(created, read, missing, forbidden);
        for (Reply reply : counted) {
            assertThat(reply.header("RateLimit-Policy")).as(reply.raw()).isEqualTo("\"per-client\";q=5;w=5");
            assertThat(reply.header("Retry-After")).isNull();
        }
        assertThat(created.header("RateLimit")).isEqualTo("\"per-client\";r=4;t=1");
        assertThat(counted.stream().map(reply -> remaining(reply.header("RateLimit"))).toList())
                .as("requests left after each").allMatch(left -> left >= 0 && left <= 4);
        assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"per-client\";q=5;w=5");
        assertThat(refused.header("RateLimit")).isEqualTo("\"per-client\";r=0;t=1");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        // Refused for its key, a request never reaches a bucket, and says nothing of one.
        Reply unknownKey = api.withKey(ApiKeys.generate()).get("/v1/accounts").expect(401);
        assertThat(unknownKey.header("RateLimit-Policy")).isNull();
        assertThat(unknownKey.header("RateLimit")).isNull();
    }

    @Test
    void aClientsOwnLimitReplacesTheDefaultAndAChangeAppliesWithoutARestart() {
        Client client = api.newClient("own limit", Scope.ACCOUNTS_READ);
        ApiClients clients = new ApiClients(api.database().jdbi());
        BankApi own = api.as(client);
        own.get("/v1/accounts").expect(200);

        clients.setRatePolicy(client.id(), new RatePolicy(10, 2));

        Await.until("the client's own limit applies", Duration.ofSeconds(10),
                () -> "\"per-client\";q=2;w=1".equals(own.get("/v1/accounts").header("RateLimit-Policy")));
        Await.until("the client's own bucket is empty", Duration.ofSeconds(30),
                () -> own.get("/v1/accounts").status() == 429);
        clients.setRatePolicy(client.id(), null);
        Await.until("the default applies again", Duration.ofSeconds(10),
                () -> "\"per-client\";q=5;w=5".equals(own.get("/v1/accounts").header("RateLimit-Policy")));
    }

    @Test
    void whileTheSharedBucketDoesNotAnswerRequestsAreCountedInTheInstancesOwn() throws Exception {
        Client client = api.newClient("database slow", Scope.ACCOUNTS_READ);
        BankApi slow = api.as(client);
        slow.get("/v1/accounts").expect(200);
        double tokensBefore;
        try (java.sql.Connection holder = api.database().connect()) {
            holder.setAutoCommit(false);
            try (java.sql.PreparedStatement lock = holder.prepareStatement(
                    "SELECT tokens FROM rate_limit_buckets WHERE client_id = ? FOR UPDATE")) {
                lock.setObject(1, client.id());
                try (java.sql.ResultSet row = lock.executeQuery()) {
                    assertThat(row.next()).as("the client's shared bucket exists").isTrue();
                    tokensBefore = row.getDouble(1);
                }
            }

            // The instance's own bucket is new, and full: at least BURST requests pass, then 429, all while the row
            // is locked (more than BURST if a second passes meanwhile, which refills one).
            List<Integer> statuses = new ArrayList<>();
            while (statuses.size() < 3 * BURST && !statuses.contains(429)) {
                statuses.add(slow.get("/v1/accounts").status());
            }
            assertThat(statuses).as("answers while the shared bucket is locked").endsWith(429)
                    .filteredOn(status -> status == 200).hasSizeGreaterThanOrEqualTo(BURST);
            assertThat(statuses).filteredOn(status -> status != 200 && status != 429).isEmpty();
            holder.rollback();
        }
        assertThat(api.database().queryLong("SELECT count(*) FROM rate_limit_buckets WHERE client_id = ? "
                + "AND tokens = ?", client.id(), tokensBefore)).as("the shared bucket, untouched meanwhile").isEqualTo(1);
        Await.until("the shared bucket counts again", Duration.ofSeconds(30), () -> {
            slow.get("/v1/accounts");
            return api.database().queryLong("SELECT count(*) FROM rate_limit_buckets WHERE client_id = ? "
                    + "AND tokens <> ?", client.id(), tokensBefore) == 1;
        });
    }

    private static long remaining(String rateLimit) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"per-client\";r=(\\d+);t=(\\d+)")
                .matcher(rateLimit);
        assertThat(matcher.matches()).as(rateLimit).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void eachClientHasItsOwnBucket() {
        BankApi first = api.as(api.newClient("first", Scope.ACCOUNTS_READ));
        BankApi second = api.as(api.newClient("second", Scope.ACCOUNTS_READ));
        Await.until("the first client is throttled", Duration.ofSeconds(30),
                () -> first.get("/v1/accounts").status() == 429);

        second.get("/v1/accounts").expect(200);
    }

    @Test
    void aKeyedRequestRefusedWith429TakesEffectOnceWhenSentAgainLater() {
        BankApi setup = api.as(api.newClient("setup", Scope.ACCOUNTS_WRITE, Scope.TRANSACTIONS_WRITE));
        String account = setup.openAccount("USD");
        BankApi busy = api.as(api.newClient("busy", Scope.TRANSACTIONS_WRITE, Scope.ACCOUNTS_READ, Scope.ADMIN));
        String path = "/v1/accounts/" + account + "/transactions";
        Map<String, Object> credit = Map.of("type", "CREDIT", "amount", 70);
        Await.until("the client's bucket is empty", Duration.ofSeconds(30),
                () -> busy.get("/v1/accounts").status() == 429);

        Reply refused = busy.post(path, credit, "Idempotency-Key", "throttled-1");
        assertThat(refused.status()).as(refused.raw()).isEqualTo(429);
        assertThat(api.database().queryLong("SELECT count(*) FROM idempotency_keys WHERE key = 'throttled-1'")).isZero();
        assertThat(balanceOf(account)).isZero();

        Reply accepted = retryAfterEach429(() -> busy.post(path, credit, "Idempotency-Key", "throttled-1"));
        accepted.expect(201);
        assertThat(accepted.header("Idempotent-Replayed")).isNull();
        Reply again = retryAfterEach429(() -> busy.post(path, credit, "Idempotency-Key", "throttled-1")).expect(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(balanceOf(account)).isEqualTo(70);
    }

    /** Read from the database: every client here, the test class's too, has only a few requests to spend. */
    private static long balanceOf(String account) {
        return api.database().queryLong("SELECT balance FROM accounts WHERE id = ?", java.util.UUID.fromString(account));
    }

    /** Sends the request until it is not refused for the rate, waiting Retry-After between attempts, as a client does. */
    private static Reply retryAfterEach429(java.util.function.Supplier<Reply> request) {
        for (int attempt = 0; attempt < 20; attempt++) {
            Reply reply = request.get();
            if (reply.status() != 429) {
                return reply;
            }
            sleepSeconds(Long.parseLong(reply.header("Retry-After")));
        }
        throw new AssertionError("still throttled after 20 attempts");
    }

    private static void sleepSeconds(long seconds) {
        try {
            TimeUnit.SECONDS.sleep(seconds); // the wait the server asked for, as a client honours Retry-After
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Reply> concurrently(int count, java.util.concurrent.Callable<Reply> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            start.countDown();
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> future : futures) {
                replies.add(future.get(60, TimeUnit.SECONDS));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }
}
