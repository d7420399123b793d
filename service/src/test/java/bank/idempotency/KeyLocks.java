package bank.idempotency;

import bank.testing.BankApi;
import bank.testing.TestDatabase;

/** Whether a request holds an Idempotency-Key's lock, as PostgreSQL shows it in pg_locks. */
final class KeyLocks {

    private KeyLocks() {
    }

    /**
     * Whether the client's key is held. A bigint advisory lock shows its high half as classid and its low half as
     * objid, with objsubid 1.
     */
    static boolean held(TestDatabase database, BankApi.Client client, String key) {
        return database.queryLong("""
                SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND (classid::bigint << 32 | objid::bigint) = ?""",
                new IdempotencyKey(client.id().toString(), key).lockId()) == 1;
    }
}
