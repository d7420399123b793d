package bank.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.Await;
import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import bank.testing.TcpProxy;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The database goes away in the middle of a keyed transfer. Its transaction dies, and the key's lock dies with
 * it: the retry with the same key runs at once, with no 409 while a dead request's claim times out, and takes
 * effect exactly once.
 */
class IdempotencyOutageApiIT {

    private static final TcpProxy network = TcpProxy.toTestDatabaseServer();

    @RegisterExtension
    static final BankApi api = new BankApi().through(network);

    @AfterAll
    static void closeNetwork() throws Exception {
        network.close();
    }

    @Test
    void theRetryOfATransferCutOffMidTransactionRunsAtOnceAndTakesEffectOnce() throws Exception {
        String from = api.openAccount("USD");
        String to = api.openAccount("USD");
        api.credit(from, 1_000);
        Map<String, Object> transfer = Map.of("fromAccountId", from, "toAccountId", to, "amount", 100);

        // The test's own connection goes straight to the database; only the service's go through the relay.
        try (Connection holder = api.database().connect()) {
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.execute("SELECT 1 FROM accounts WHERE id = '" + from + "' FOR UPDATE");
            }
            CompletableFuture<Reply> cutOff = CompletableFuture.supplyAsync(
                    () -> api.post("/v1/transfers", transfer, "Idempotency-Key", "cut-1"));
            Await.until("the transfer holds its key and waits for the account", Duration.ofSeconds(15),
                    () -> KeyLocks.held(api.database(), "cut-1"));

            network.cut();
            cutOff.get(30, TimeUnit.SECONDS).expectRetryLater();
            network.restore();
            holder.rollback();
        }

        // PostgreSQL ends the cut-off transaction when it notices its client is gone, and releases the key's lock
        // with it; the service's pool replaces the connections the cut dropped.
        Await.until("the cut-off transaction has ended", Duration.ofSeconds(10),
                () -> !KeyLocks.held(api.database(), "cut-1"));
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
}
