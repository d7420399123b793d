package bank.idempotency;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(IdempotencyDao.Mapper.class)
interface IdempotencyDao {

    String EXPIRED = "created_at < now() - make_interval(secs => :retentionSeconds)";

    /** Never waits: a lock held by another transaction is an answer (409), not a reason to queue. */
    @SqlQuery("SELECT pg_try_advisory_xact_lock(:lockId)")
    boolean tryLock(long lockId);

    @SqlQuery("SELECT request_hash, response_status AS status, response_location AS location, response_body AS body "
            + "FROM idempotency_keys WHERE scope = :scope AND key = :key AND NOT " + EXPIRED)
    Optional<StoredResponse> find(String scope, String key, long retentionSeconds);

    /**
     * Inserts the key's row, or replaces an expired one that the purge has not deleted yet.
     *
     * @return 0 if a live row for the key exists, which the primary key then refuses to duplicate
     */
    @SqlUpdate("INSERT INTO idempotency_keys AS k "
            + "(scope, key, request_hash, response_status, response_location, response_body, created_at) "
            + "VALUES (:scope, :key, :r.requestHash, :r.status, :r.location, :r.body, now()) "
            + "ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, "
            + "  response_status = excluded.response_status, response_location = excluded.response_location, "
            + "  response_body = excluded.response_body, created_at = excluded.created_at "
            + "  WHERE k." + EXPIRED)
    int save(String scope, String key, @BindMethods("r") StoredResponse response, long retentionSeconds);

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
