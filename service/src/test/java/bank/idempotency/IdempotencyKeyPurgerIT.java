package bank.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.TestDatabase;
import io.dropwizard.util.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdempotencyKeyPurgerIT {

    private static TestDatabase database;

    @BeforeAll
    static void schema() throws Exception {
        database = TestDatabase.create();
        database.execute("""
                CREATE TABLE idempotency_keys (key text PRIMARY KEY, request_hash text NOT NULL, state text NOT NULL,
                  response_status integer, response_location text, response_body text,
                  locked_at timestamptz NOT NULL, created_at timestamptz NOT NULL)""");
    }

    @AfterAll
    static void drop() {
        database.close();
    }

    @Test
    void deletesOnlyKeysOlderThanTheRetention() {
        database.execute("""
                INSERT INTO idempotency_keys (key, request_hash, state, response_status, response_body, locked_at, created_at)
                SELECT 'old-' || n, 'h', 'COMPLETED', 201, '{}', now(), now() - interval '25 hours' FROM generate_series(1, 2500) n
                UNION ALL
                SELECT 'new-' || n, 'h', 'COMPLETED', 201, '{}', now(), now() - interval '23 hours' FROM generate_series(1, 10) n""");
        IdempotencyConfig config = new IdempotencyConfig();
        config.setRetention(Duration.hours(24));
        Jdbi jdbi = Jdbi.create(database.url(), TestDatabase.USER, TestDatabase.PASSWORD).installPlugin(new SqlObjectPlugin());
        Idempotency idempotency = new Idempotency(jdbi, null, config);

        new IdempotencyKeyPurger(idempotency, (ScheduledExecutorService) null, config).purge();

        assertThat(database.queryLong("SELECT count(*) FROM idempotency_keys WHERE key LIKE 'old-%'")).isZero();
        assertThat(database.queryLong("SELECT count(*) FROM idempotency_keys WHERE key LIKE 'new-%'")).isEqualTo(10);
    }
}
