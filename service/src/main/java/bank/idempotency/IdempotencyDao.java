package bank.idempotency;

import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(IdempotencyDao.Row.class)
interface IdempotencyDao {

    record Row(String requestHash, String state, @ColumnName("stale") boolean stale, Integer responseStatus,
               String responseLocation, String responseBody) {

        boolean completed() {
            return "COMPLETED".equals(state);
        }

        StoredResponse response() {
            return new StoredResponse(responseStatus, responseLocation, responseBody);
        }
    }

    /**
     * Claims a key for a new request. A row older than the retention period counts as absent and is taken over,
     * so an expired key behaves as new even before the purge job has deleted it.
     *
     * @return true if this request now owns the key
     */
    @SqlQuery("INSERT INTO idempotency_keys AS k (key, request_hash, state, locked_at, created_at) "
            + "VALUES (:key, :requestHash, 'IN_FLIGHT', now(), now()) "
            + "ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, state = 'IN_FLIGHT', "
            + "  locked_at = now(), created_at = now(), response_status = NULL, response_location = NULL, response_body = NULL "
            + "  WHERE k.created_at < now() - make_interval(secs => :retentionSeconds) "
            + "RETURNING true")
    Optional<Boolean> claim(String key, String requestHash, long retentionSeconds);

    @SqlQuery("SELECT request_hash, state, locked_at < now() - make_interval(secs => :inFlightTimeoutSeconds) AS stale, "
            + "response_status, response_location, response_body FROM idempotency_keys WHERE key = :key")
    Optional<Row> find(String key, long inFlightTimeoutSeconds);

    /** Takes over a claim whose owner stopped without finishing or releasing it, e.g. a crashed process. */
    @SqlUpdate("UPDATE idempotency_keys SET locked_at = now() WHERE key = :key AND state = 'IN_FLIGHT' "
            + "AND locked_at < now() - make_interval(secs => :inFlightTimeoutSeconds)")
    int takeOverStale(String key, long inFlightTimeoutSeconds);

    @SqlUpdate("UPDATE idempotency_keys SET state = 'COMPLETED', response_status = :status, "
            + "response_location = :location, response_body = :body WHERE key = :key")
    void complete(String key, int status, String location, String body);

    @SqlUpdate("DELETE FROM idempotency_keys WHERE key = :key AND state = 'IN_FLIGHT'")
    void release(String key);

    /** Deletes up to {@code batch} expired keys; small batches keep each statement's locks short. */
    @SqlUpdate("DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM idempotency_keys "
            + "WHERE created_at < now() - make_interval(secs => :retentionSeconds) LIMIT :batch)")
    int purgeExpired(long retentionSeconds, int batch);
}
