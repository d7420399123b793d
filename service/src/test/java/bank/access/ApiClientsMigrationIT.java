package bank.access;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changeset 004 on a database written by the service as it was before clients existed: every account, with its
 * money and history, goes to a "legacy" client that no key can act as; a database without accounts gets no such
 * client. Afterwards every new account must name its owner.
 */
class ApiClientsMigrationIT {

    private static final String LEGACY = "00000000-0000-7000-8000-000000000000";

    private TestDatabase database;

    @BeforeEach
    void schemaAsItWasBefore() throws Exception {
        database = TestDatabase.create();
        for (String changeset : new String[] {"001-ledger", "002-idempotency-keys", "003-idempotency-keys-one-transaction"}) {
            database.runChangeset("db/" + changeset + ".sql");
        }
    }

    @AfterEach
    void drop() {
        database.close();
    }

    @Test
    void existingAccountsGoToALegacyClientWithoutAKeyAndKeepTheirMoney() throws Exception {
        database.execute("""
                INSERT INTO accounts (id, first_name, last_name, currency, balance) VALUES
                  ('01a21f29-0000-7000-8000-000000000001', 'Ada', 'Lovelace', 'EUR', 900),
                  ('01a21f29-0000-7000-8000-000000000002', 'Alan', 'Turing', 'EUR', 100);
                INSERT INTO transfers (id, from_account_id, to_account_id, amount, currency) VALUES
                  ('01a21f29-0000-7000-8000-0000000000f1', '01a21f29-0000-7000-8000-000000000001',
                   '01a21f29-0000-7000-8000-000000000002', 100, 'EUR');
                INSERT INTO transactions (id, account_id, type, amount, balance_after, transfer_id) VALUES
                  ('01a21f29-0000-7000-8000-0000000000a1', '01a21f29-0000-7000-8000-000000000001', 'CREDIT', 1000, 1000, NULL),
                  ('01a21f29-0000-7000-8000-0000000000a2', '01a21f29-0000-7000-8000-000000000001', 'DEBIT', 100, 900,
                   '01a21f29-0000-7000-8000-0000000000f1'),
                  ('01a21f29-0000-7000-8000-0000000000a3', '01a21f29-0000-7000-8000-000000000002', 'CREDIT', 100, 100,
                   '01a21f29-0000-7000-8000-0000000000f1')""");

        database.runChangeset("db/004-api-clients.sql");

        assertThat(database.queryLong("SELECT count(*) FROM api_clients WHERE id = ?::uuid AND name = 'legacy' "
                + "AND key_hash IS NULL AND key_prefix IS NULL AND scopes = '' AND revoked_at IS NULL", LEGACY)).isEqualTo(1);
        assertThat(database.queryLong("SELECT count(*) FROM accounts WHERE client_id = ?::uuid", LEGACY)).isEqualTo(2);
        assertThat(database.queryLong("SELECT sum(balance) FROM accounts")).isEqualTo(1_000);
        assertThat(database.queryLong("SELECT count(*) FROM transactions")).isEqualTo(3);
        assertThat(database.queryLong("SELECT count(*) FROM transfers")).isEqualTo(1);
        database.assertRefused("INSERT INTO accounts (id, first_name, last_name, currency) "
                + "VALUES ('01a21f29-0000-7000-8000-000000000003', 'Grace', 'Hopper', 'EUR')", "23502");
        database.assertRefused("INSERT INTO accounts (id, client_id, first_name, last_name, currency) VALUES "
                + "('01a21f29-0000-7000-8000-000000000003', '01a21f29-0000-7000-8000-00000000ffff', 'G', 'H', 'EUR')",
                "23503");
    }

    @Test
    void anEmptyDatabaseGetsNoLegacyClient() throws Exception {
        database.runChangeset("db/004-api-clients.sql");

        assertThat(database.queryLong("SELECT count(*) FROM api_clients")).isZero();
    }

    /** As postgres/init prepares Grafana's read-only role: SELECT on every table the service's user creates. */
    @Test
    void aReadOnlyRoleThatReadsEveryNewTableDoesNotReadTheClients() throws Exception {
        String reader = "reader_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection server = DriverManager.getConnection(TestDatabase.serverUrl(), TestDatabase.USER,
                TestDatabase.PASSWORD); Statement statement = server.createStatement()) {
            statement.execute("CREATE ROLE " + reader);
            try {
                database.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + reader);
                database.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO " + reader);

                database.runChangeset("db/004-api-clients.sql");

                assertThat(database.queryLong("SELECT count(*) FROM (SELECT has_table_privilege(?, 'accounts', 'SELECT') "
                        + "AND NOT has_table_privilege(?, 'api_clients', 'SELECT') AS ok) t WHERE ok", reader, reader))
                        .isEqualTo(1);
            } finally {
                database.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM " + reader);
                database.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM " + reader);
                statement.execute("DROP ROLE " + reader);
            }
        }
    }

    @Test
    void aKeyIsStoredOnlyAsA32ByteHashAndOnceAtMost() throws Exception {
        database.runChangeset("db/004-api-clients.sql");
        database.execute("INSERT INTO api_clients (id, name, key_hash, key_prefix, scopes) VALUES "
                + "('01a21f29-0000-7000-8000-0000000000c1', 'a', decode(repeat('ab', 32), 'hex'), 'bank_sk_abcd', '')");

        database.assertRefused("INSERT INTO api_clients (id, name, key_hash, key_prefix, scopes) VALUES "
                + "('01a21f29-0000-7000-8000-0000000000c2', 'b', decode(repeat('ab', 32), 'hex'), 'bank_sk_abcd', '')",
                "23505");
        database.assertRefused("INSERT INTO api_clients (id, name, key_hash, key_prefix, scopes) VALUES "
                + "('01a21f29-0000-7000-8000-0000000000c3', 'c', convert_to('bank_sk_plaintext', 'UTF8'), 'bank', '')",
                "23514");
        database.assertRefused("INSERT INTO api_clients (id, name, key_hash, key_prefix, scopes) VALUES "
                + "('01a21f29-0000-7000-8000-0000000000c4', 'd', decode(repeat('cd', 32), 'hex'), NULL, '')", "23514");
    }

    @Test
    void eachClientsKeyMovesToTheKeysTableWithItsStateAndNothingElseChanges() throws Exception {
        database.runChangeset("db/004-api-clients.sql");
        database.execute("INSERT INTO api_clients (id, name, key_hash, key_prefix, scopes, revoked_at) VALUES "
                + "('01a21f29-0000-7000-8000-0000000000c1', 'live', decode(repeat('ab', 32), 'hex'), 'bank_sk_abcd', "
                + "'accounts:read', NULL), "
                + "('01a21f29-0000-7000-8000-0000000000c2', 'gone', decode(repeat('cd', 32), 'hex'), 'bank_sk_cdef', "
                + "'admin', '2026-11-01T00:00:00Z')");

        database.runChangeset("db/005-api-keys-and-limits.sql");

        assertThat(database.queryLong("SELECT count(*) FROM api_keys k JOIN api_clients c ON c.id = k.client_id "
                + "WHERE c.name = 'live' AND k.key_hash = decode(repeat('ab', 32), 'hex') AND k.key_prefix = "
                + "'bank_sk_abcd' AND k.revoked_at IS NULL AND k.expires_at IS NULL AND k.last_used_at IS NULL "
                + "AND c.rate_limit_per_second IS NULL AND c.scopes = 'accounts:read'")).isEqualTo(1);
        assertThat(database.queryLong("SELECT count(*) FROM api_keys k JOIN api_clients c ON c.id = k.client_id "
                + "WHERE c.name = 'gone' AND k.revoked_at = c.revoked_at AND c.revoked_at IS NOT NULL"))
                .as("the revoked client's key, revoked as it was").isEqualTo(1);
        assertThat(database.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                + "'api_clients' AND column_name IN ('key_hash', 'key_prefix')")).as("key columns left").isZero();
        database.assertRefused("INSERT INTO api_keys (key_hash, client_id, key_prefix) VALUES "
                + "(decode(repeat('ab', 32), 'hex'), '01a21f29-0000-7000-8000-0000000000c2', 'bank_sk_abcd')", "23505");
        database.assertRefused("UPDATE api_clients SET rate_limit_per_second = 5 WHERE name = 'live'", "23514");
    }
}
