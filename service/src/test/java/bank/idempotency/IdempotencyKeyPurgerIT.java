package bank.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.TestDatabase;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdempotencyKeyPurgerIT {

    private static TestDatabase database;

    @BeforeAll
    static void schema() throws Exception {
        database = TestDatabase.create();
        database.migrate();
    }

    @AfterAll
    static void drop() {
        database.close();
    }

    /** The rows are 25 and 23 hours old: on either side of the default retention, 24 hours. */
    @Test
    void deletesOnlyKeysOlderThanTheRetentionInEveryScope() {
        database.execute("""
                INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, created_at)
                SELECT '', 'old-' || n, 'h', 201, '{}', now() - interval '25 hours' FROM generate_series(1, 2500) n
                UNION ALL
                SELECT 'client-1', 'old-' || n, 'h', 201, '{}', now() - interval '25 hours' FROM generate_series(1, 10) n
                UNION ALL
                SELECT '', 'new-' || n, 'h', 201, '{}', now() - interval '23 hours' FROM generate_series(1, 10) n""");
        IdempotencyConfig config = new IdempotencyConfig();
        IdempotencyKeyStore keys = new IdempotencyKeyStore(database.jdbi(), config.getRetention().toJavaDuration());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            new IdempotencyKeyPurger(keys, scheduler, config).purge();
        } finally {
            scheduler.shutdownNow();
        }

        assertThat(database.queryLong("SELECT count(*) FROM idempotency_keys WHERE key LIKE 'old-%'")).isZero();
        assertThat(database.queryLong("SELECT count(*) FROM idempotency_keys WHERE key LIKE 'new-%'")).isEqualTo(10);
    }
}
