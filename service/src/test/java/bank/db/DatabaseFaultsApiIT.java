package bank.db;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import io.dropwizard.testing.ConfigOverride;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failures the client did not cause are 503s that write nothing and leave the request safe to retry. */
class DatabaseFaultsApiIT {

    @RegisterExtension
    static final BankApi api = new BankApi(ConfigOverride.config("database.properties.options",
            "-c statement_timeout=5000 -c lock_timeout=300"));

    @Test
    void aLockTimeoutIs503AndReleasesTheIdempotencyKeyForTheRetry() throws Exception {
        String from = api.openAccount("USD");
        String to = api.openAccount("USD");
        api.credit(from, 1_000);
        Map<String, Object> transfer = Map.of("fromAccountId", from, "toAccountId", to, "amount", 100);

        try (Connection holder = api.database().lockAccount(from)) {
            Reply unavailable = api.post("/v1/transfers", transfer, "Idempotency-Key", "fault-1").expectRetryLater();

            assertThat(unavailable.header("Retry-After")).isEqualTo("1");
            holder.rollback();
        }

        assertThat(api.database().queryLong("SELECT count(*) FROM idempotency_keys WHERE key = 'fault-1'")).isZero();
        assertThat(api.database().queryLong("SELECT count(*) FROM transfers")).isZero();
        api.post("/v1/transfers", transfer, "Idempotency-Key", "fault-1").expect(201);
        assertThat(api.balance(from)).isEqualTo(900);
    }
}
