package bank.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changeset 003 on a database that already has keys, written by the service as it was before: completed keys
 * keep their responses in the shared scope, and claims of requests that never finished are gone.
 */
class IdempotencyKeysMigrationIT {

    private TestDatabase database;

    @BeforeEach
    void keysAsTheyWereBefore() throws Exception {
        database = TestDatabase.create();
        database.runChangeset("db/002-idempotency-keys.sql");
        database.execute("""
                INSERT INTO idempotency_keys (key, request_hash, state, response_status, response_location,
                  response_body, locked_at, created_at) VALUES
                  ('done-1', 'h1', 'COMPLETED', 201, '/v1/transfers/1', '{"id":1}', now(), now()),
                  ('refused-1', 'h2', 'COMPLETED', 422, NULL, '{"status":422}', now(), now()),
                  ('stuck-1', 'h3', 'IN_FLIGHT', NULL, NULL, NULL, now(), now())""");
    }

    @AfterEach
    void drop() {
        database.close();
    }

    @Test
    void keepsEveryStoredResponseAndFreesUnfinishedClaims() throws Exception {
        database.runChangeset("db/003-idempotency-keys-one-transaction.sql");

        assertThat(database.queryLong("SELECT count(*) FROM idempotency_keys")).isEqualTo(2);
        assertThat(database.queryLong("SELECT count(*) FROM idempotency_keys WHERE scope = '' AND key = 'done-1' "
                + "AND request_hash = 'h1' AND response_status = 201 AND response_location = '/v1/transfers/1' "
                + "AND response_body = '{\"id\":1}'")).isEqualTo(1);
        assertThat(database.queryLong("SELECT count(*) FROM idempotency_keys WHERE scope = '' AND key = 'refused-1' "
                + "AND response_status = 422")).isEqualTo(1);
        assertThat(database.queryLong("SELECT count(*) FROM information_schema.columns "
                + "WHERE table_name = 'idempotency_keys' AND column_name IN ('state', 'locked_at')")).isZero();
    }

    @Test
    void leavesAKeyUniqueWithinItsScopeAndEveryRowWithAResponse() throws Exception {
        database.runChangeset("db/003-idempotency-keys-one-transaction.sql");

        database.execute("INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, "
                + "created_at) VALUES ('client-1', 'done-1', 'h', 201, '{}', now())");
        database.assertRefused("INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, "
                + "created_at) VALUES ('', 'done-1', 'h', 201, '{}', now())", "23505");
        database.assertRefused("INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, "
                + "created_at) VALUES ('', 'no-response', 'h', NULL, NULL, now())", "23502");
        database.assertRefused("INSERT INTO idempotency_keys (key, request_hash, response_status, response_body, created_at) "
                + "VALUES ('no-scope', 'h', 201, '{}', now())", "23502");
    }
}
