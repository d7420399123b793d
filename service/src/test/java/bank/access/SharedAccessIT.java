package bank.access;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.Await;
import bank.testing.ServiceProcess;
import bank.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three instances of the packaged service on one PostgreSQL, as behind a load balancer: a client's rate limit is
 * one bucket whichever instance a request reaches, a revoked key is refused by every instance within a second, and a
 * rotated client's old key works on every instance until its expiry and on none after it.
 *
 * <p>The instances keep a key's client for 10 minutes (the longest {@code access.keyCacheTtl}), so that nothing
 * here can pass by the cache expiring: only the notifications of {@link AccessChanges} and the expiry checked on
 * each request can.
 */
class SharedAccessIT {

    /** What the guarantee says: a revocation reaches every instance within this long. */
    private static final Duration REVOCATION_BOUND = Duration.ofSeconds(1);
    /**
     * Room for this machine, not for the service: each poll sends one request to each of three JVMs sharing two
     * loaded cores, and a poll that starts just before the bound finishes after it.
     */
    private static final Duration SLACK = Duration.ofSeconds(1);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestDatabase database;
    private static List<ServiceProcess> instances;
    private static ApiClients clients;

    @BeforeAll
    static void startThreeInstances() {
        database = TestDatabase.create();
        Map<String, String> environment = Map.of("API_KEY_CACHE_TTL", "10m",
                // Generous: the shared bucket's statement must not time out on this loaded machine, or the exact
                // counts below would be counted in each instance's own bucket (the fallback tested in RateLimitApiIT).
                "API_RATE_LIMIT_DATABASE_TIMEOUT", "5s");
        instances = IntStream.rangeClosed(1, 3)
                .mapToObj(i -> ServiceProcess.start("shared-access-" + i, database.url(), environment)).toList();
        instances.forEach(instance -> instance.awaitHealthy(Duration.ofMinutes(5)));
        clients = new ApiClients(database.jdbi());
    }

    @AfterAll
    static void stop() {
        if (instances != null) {
            instances.forEach(ServiceProcess::close);
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aBurstSpreadOverTwoInstancesGetsExactlyTheClientsBurst() throws Exception {
        burstOver(instances.subList(0, 2), 8);
    }

    @Test
    void aBurstSpreadOverThreeInstancesGetsExactlyTheClientsBurst() throws Exception {
        burstOver(instances, 9);
    }

    /**
     * A client whose own bucket holds {@code burst} and refills once in 1,000 s sends three times that many
     * credits at once, round-robin over the instances (whose default limit is 100,000): exactly {@code burst} get
     * 201, the rest 429, and the ledger holds exactly the 201s.
     */
    private static void burstOver(List<ServiceProcess> over, int burst) throws Exception {
        String account = openAccount(over.get(0));
        ApiClients.Created client = clients.create("burst over " + over.size(), java.util.Set.of(Scope.TRANSACTIONS_WRITE,
                Scope.ADMIN), new RatePolicy(0.001, burst));
        int requests = 3 * burst;

        // New connections: a pooled one that an instance closed while idle would fail its POST, which an HTTP
        // client does not send again on its own.
        HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<HttpResponse<String>> replies = concurrently(requests, i -> send(fresh, over.get(i % over.size()), "POST",
                "/v1/accounts/" + account + "/transactions", client.key(), "{\"type\":\"CREDIT\",\"amount\":1}",
                "burst-" + over.size() + "-" + i));

        assertThat(replies).extracting(HttpResponse::statusCode).as("answers").containsOnly(201, 429);
        assertThat(replies).filteredOn(reply -> reply.statusCode() == 201).as("201s").hasSize(burst);
        assertThat(replies).filteredOn(reply -> reply.statusCode() == 429).allSatisfy(reply -> assertThat(
                reply.headers().firstValue("RateLimit-Policy")).hasValue("\"per-client\";q=" + burst + ";w=" + burst * 1000));
        assertThat(database.queryLong("SELECT count(*) FROM transactions WHERE account_id = ?::uuid", account))
                .isEqualTo(burst);
        assertThat(database.queryLong("SELECT balance FROM accounts WHERE id = ?::uuid", account)).isEqualTo(burst);
    }

    @Test
    void aRevokedKeyIsRefusedByEveryInstanceWithinOneSecond() throws Exception {
        ApiClients.Created client = clients.create("revoked everywhere", java.util.Set.of(Scope.ACCOUNTS_READ));
        for (ServiceProcess instance : instances) {
            assertThat(get(instance, client.key()).statusCode()).as("before the revocation").isEqualTo(200);
        }

        clients.revoke(client.client().id());

        Await.until("every instance refuses the revoked key", REVOCATION_BOUND.plus(SLACK),
                () -> instances.stream().allMatch(instance -> get(instance, client.key()).statusCode() == 401));
    }

    @Test
    void aListenerCutOffConnectsAgainAndHearsTheNextRevocation() throws Exception {
        List<Integer> before = listeners();
        assertThat(before).as("one listening connection per instance").hasSize(instances.size());

        database.queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ? "
                + "AND datname = current_database()",
                AccessChanges.APPLICATION_NAME);
        Await.until("every instance listens again, on a new connection", Duration.ofSeconds(30), () -> {
            List<Integer> now = listeners();
            return now.size() == instances.size() && now.stream().noneMatch(before::contains);
        });
        ApiClients.Created client = clients.create("revoked after a cut", java.util.Set.of(Scope.ACCOUNTS_READ));
        for (ServiceProcess instance : instances) {
            assertThat(get(instance, client.key()).statusCode()).isEqualTo(200);
        }

        clients.revoke(client.client().id());

        Await.until("every instance refuses the revoked key", REVOCATION_BOUND.plus(SLACK),
                () -> instances.stream().allMatch(instance -> get(instance, client.key()).statusCode() == 401));
    }

    @Test
    void aRotatedClientsOldKeyWorksOnEveryInstanceUntilItsExpiryAndOnNoneAfter() throws Exception {
        List<ServiceProcess> two = instances.subList(0, 2);
        ApiClients.Created client = clients.create("rotating", java.util.Set.of(Scope.ACCOUNTS_READ));
        String oldKey = client.key();
        for (ServiceProcess instance : two) {
            assertThat(get(instance, oldKey).statusCode()).isEqualTo(200);
        }

        ApiClients.Created rotated = clients.rotate(client.client().id(), Duration.ofSeconds(12));
        java.time.Instant expiry = clients.keysOf(client.client().id()).get(0).expiresAt();

        for (ServiceProcess instance : two) {
            assertThat(get(instance, oldKey).statusCode()).as("the old key before its expiry").isEqualTo(200);
            assertThat(get(instance, rotated.key()).statusCode()).as("the new key").isEqualTo(200);
        }
        assertThat(java.time.Instant.now()).as("the requests above ran before the old key's expiry").isBefore(expiry);
        Await.until("the old key's expiry has passed", Duration.ofSeconds(30),
                () -> java.time.Instant.now().isAfter(expiry));

        // After it: refused by both at once, although each instance's cache still holds the client for 10 minutes.
        for (ServiceProcess instance : two) {
            assertThat(get(instance, oldKey).statusCode()).as("the old key after its expiry").isEqualTo(401);
            assertThat(get(instance, rotated.key()).statusCode()).as("the new key").isEqualTo(200);
        }
    }

    @Test
    void eachKeysLastUseIsWrittenOnceAMinuteWhateverTheRequestsAndInstances() throws Exception {
        database.execute("CREATE TABLE IF NOT EXISTS key_use_writes (key_hash bytea, written_at timestamptz)");
        database.execute("""
                CREATE OR REPLACE FUNCTION count_key_use_write() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO key_use_writes VALUES (NEW.key_hash, NEW.last_used_at); RETURN NEW; END $$""");
        database.execute("CREATE OR REPLACE TRIGGER key_use_write AFTER UPDATE OF last_used_at ON api_keys "
                + "FOR EACH ROW EXECUTE FUNCTION count_key_use_write()");
        ApiClients.Created client = clients.create("busy keys", java.util.Set.of(Scope.ACCOUNTS_READ));
        ApiClients.Created rotated = clients.rotate(client.client().id(), Duration.ofHours(1));
        long started = System.nanoTime();

        for (int i = 0; i < 10; i++) {
            for (ServiceProcess instance : instances) {
                assertThat(get(instance, client.key()).statusCode()).isEqualTo(200);
                assertThat(get(instance, rotated.key()).statusCode()).isEqualTo(200);
            }
        }

        Await.until("both keys' last use is recorded", Duration.ofSeconds(30), () -> database.queryLong(
                "SELECT count(*) FROM api_keys WHERE client_id = ? AND last_used_at IS NOT NULL", client.client().id()) == 2);
        // One write per key per minute begun: 2 if the requests took less than a minute, as they should.
        long minutes = 1 + Duration.ofNanos(System.nanoTime() - started).toMinutes();
        assertThat(database.queryLong("SELECT count(*) FROM key_use_writes w JOIN api_keys k USING (key_hash) "
                + "WHERE k.client_id = ?", client.client().id()))
                .as("writes of the last use: 60 requests with two keys over three instances, in %d minute(s)", minutes)
                .isBetween(2L, 2 * minutes);
    }

    private static List<Integer> listeners() {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT pid FROM pg_stat_activity WHERE application_name = :name AND datname = current_database()")
                .bind("name", AccessChanges.APPLICATION_NAME).mapTo(Integer.class).list());
    }

    private static String openAccount(ServiceProcess instance) {
        HttpResponse<String> reply = send(instance, "POST", "/v1/accounts", ServiceProcess.API_KEY,
                "{\"firstName\":\"Ada\",\"lastName\":\"L\"}", null);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(201);
        return reply.body().replaceAll(".*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
    }

    private static HttpResponse<String> get(ServiceProcess instance, String key) {
        return send(instance, "GET", "/v1/accounts", key, null, null);
    }

    private static HttpResponse<String> send(ServiceProcess instance, String method, String path, String key,
                                             String body, String idempotencyKey) {
        return send(HTTP, instance, method, path, key, body, idempotencyKey);
    }

    private static HttpResponse<String> send(HttpClient http, ServiceProcess instance, String method, String path,
                                             String key, String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(instance.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private interface Request {
        HttpResponse<String> send(int index);
    }

    private static List<HttpResponse<String>> concurrently(int count, Request request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return request.send(index);
                }));
            }
            start.countDown();
            List<HttpResponse<String>> replies = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                replies.add(future.get(2, TimeUnit.MINUTES));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }
}
