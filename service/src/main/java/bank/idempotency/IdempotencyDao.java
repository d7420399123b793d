package bank.idempotency;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

interface IdempotencyDao {

    Mapper MAPPER = new Mapper();

    String EXPIRED = "created_at < now() - make_interval(secs => :retentionSeconds)";

    /**
     * Never waits: a lock held by another transaction is an answer (409), not a reason to queue.
     *
     * <p>This and the next two statements run in every keyed POST, so they are written with Jdbi's fluent API and
     * an explicit mapper: a SQL object method looks up its result's mapper and prepares its bindings on every call,
     * which cost more CPU than the database driver's own work (BENCHMARKS.md, Log). Jdbi ignores static methods of
     * a SQL object type.
     */
    static boolean tryLock(Handle tx, long lockId) {
        return tx.createQuery("SELECT pg_try_advisory_xact_lock(:lockId)")
                .bind("lockId", lockId)
                .map((rs, ctx) -> rs.getBoolean(1))
                .one();
    }

    static Optional<StoredResponse> find(Handle tx, String scope, String key, long retentionSeconds) {
        return tx.createQuery("SELECT request_hash, response_status AS status, response_location AS location, "
                        + "response_body AS body FROM idempotency_keys WHERE scope = :scope AND key = :key AND NOT " + EXPIRED)
                .bind("scope", scope)
                .bind("key", key)
                .bind("retentionSeconds", retentionSeconds)
                .map(MAPPER)
                .findOne();
    }

    /**
     * Inserts the key's row, or replaces an expired one that the purge has not deleted yet.
     *
     * @return 0 if a live row for the key exists, which the primary key then refuses to duplicate
     */
    static int save(Handle tx, String scope, String key, StoredResponse response, long retentionSeconds) {
        return tx.createUpdate("INSERT INTO idempotency_keys AS k "
                        + "(scope, key, request_hash, response_status, response_location, response_body, created_at) "
                        + "VALUES (:scope, :key, :requestHash, :status, :location, :body, now()) "
                        + "ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, "
                        + "  response_status = excluded.response_status, response_location = excluded.response_location, "
                        + "  response_body = excluded.response_body, created_at = excluded.created_at "
                        + "  WHERE k." + EXPIRED)
                .bind("scope", scope)
                .bind("key", key)
                .bind("requestHash", response.requestHash())
                .bind("status", response.status())
                .bind("location", response.location())
                .bind("body", response.body())
                .bind("retentionSeconds", retentionSeconds)
                .execute();
    }

    /** Deletes up to {@code batch} expired keys; small batches keep each statement's locks short. */
    @SqlUpdate("DELETE FROM idempotency_keys WHERE (scope, key) IN "
            + "(SELECT scope, key FROM idempotency_keys WHERE " + EXPIRED + " LIMIT :batch)")
    int purgeExpired(long retentionSeconds, int batch);

    /** Reads a stored response by column name; see AccountDao.Mapper for why it is written out. */
    final class Mapper implements RowMapper<StoredResponse> {
        @Override
        public StoredResponse map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StoredResponse(rs.getString("request_hash"), rs.getInt("status"), rs.getString("location"),
                    rs.getString("body"));
        }
    }
}
