package bank.db;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.Await;
import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import bank.testing.TcpProxy;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The database host goes away (every connection dropped, new ones refused) and comes back. Meanwhile the API
 * answers every request with a 503 that invites a retry, writes nothing, and reports itself unhealthy; once
 * the database is back it serves again without a restart, and the retried request takes effect exactly once.
 * A transfer cut off in the middle of its transaction leaves its Idempotency-Key free for the retry at once.
 */
class DatabaseOutageApiIT {

    private static final TcpProxy network = TcpProxy.toTestDatabaseServer();

    @RegisterExtension
    static final BankApi api = new BankApi().through(network);

    @AfterAll
    static void closeNetwork() throws Exception {
        network.close();
    }

    @Test
    void whileTheDatabaseIsUnreachableEveryRequestIs503AndTheRetryAfterwardsTakesEffectOnce() throws Exception {
        String from = api.openAccount("USD");
        String to = api.openAccount("USD");
        api.credit(from, 1_000);
        Map<String, Object> transfer = Map.of("fromAccountId", from, "toAccountId", to, "amount", 100);

        network.cut();
        try {
            api.post("/v1/transfers", transfer, "Idempotency-Key", "outage-1").expectRetryLater();
            api.get("/v1/accounts/" + from).expectRetryLater();
            api.post("/v1/accounts", Map.of("firstName", "Ada", "lastName", "Lovelace")).expectRetryLater();
            Reply health = api.send(HttpRequest.newBuilder(api.adminUri("/healthcheck")).GET());
            assertThat(health.status()).isEqualTo(500);
            assertThat(health.body().get("postgresql").get("healthy").asBoolean()).isFalse();
        } finally {
            network.restore();
        }

        // The pool finds its dropped connections dead and opens new ones; no restart is needed.
        Await.until("the API serves again after the database came back", Duration.ofSeconds(30),
                () -> api.get("/v1/accounts/" + from).status() == 200);
        api.post("/v1/transfers", transfer, "Idempotency-Key", "outage-1").expect(201);
        api.post("/v1/transfers", transfer, "Idempotency-Key", "outage-1").expect(201);

        assertThat(api.balance(from)).isEqualTo(900);
        assertThat(api.balance(to)).isEqualTo(100);
        assertThat(api.database().queryLong("SELECT count(*) FROM transfers")).isEqualTo(1);
        assertThat(api.database().queryLong("SELECT count(*) FROM accounts")).isEqualTo(2);
        api.send(HttpRequest.newBuilder(api.adminUri("/healthcheck")).GET()).expect(200);
    }

    @Test
    void theRetryOfATransferCutOffMidTransactionRunsAtOnceAndTakesEffectOnce() throws Exception {
        String from = api.openAccount("USD");
        String to = api.openAccount("USD");
        api.credit(from, 1_000);
        Map<String, Object> transfer = Map.of("fromAccountId", from, "toAccountId", to, "amount", 100);

        try (Connection holder = api.database().lockAccount(from)) {
            CompletableFuture<Reply> cutOff = CompletableFuture.supplyAsync(
                    () -> api.post("/v1/transfers", transfer, "Idempotency-Key", "cut-1"));
            Await.until("the transfer holds its key and waits for the account", Duration.ofSeconds(15),
                    () -> idempotencyKeysHeld() == 1);

            network.cut();
            cutOff.get(30, TimeUnit.SECONDS).expectRetryLater();
            network.restore();
            holder.rollback();
        }

        // PostgreSQL ends the cut-off transaction when it notices its client has gone, and drops the key's lock
        // with it: no claim is left behind to time out. The pool replaces the connections the cut dropped.
        Await.until("the cut-off transaction has ended", Duration.ofSeconds(10), () -> idempotencyKeysHeld() == 0);
        Await.until("the API serves again", Duration.ofSeconds(30),
                () -> api.get("/v1/accounts/" + from).status() == 200);

        Reply retry = api.post("/v1/transfers", transfer, "Idempotency-Key", "cut-1").expect(201);
        Reply again = api.post("/v1/transfers", transfer, "Idempotency-Key", "cut-1").expect(201);

        assertThat(retry.header("Idempotent-Replayed")).isNull();
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.raw()).isEqualTo(retry.raw());
        assertThat(api.balance(from)).isEqualTo(900);
        assertThat(api.balance(to)).isEqualTo(100);
        assertThat(api.database().queryLong("SELECT count(*) FROM transfers")).isEqualTo(1);
    }

    /** A keyed POST holds its key with a transaction-scoped advisory lock in the service's database. */
    private static long idempotencyKeysHeld() {
        return api.database().queryLong("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
    }
}
