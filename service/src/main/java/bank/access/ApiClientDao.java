package bank.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(ApiClientDao.Mapper.class)
interface ApiClientDao {

    String COLUMNS = "id, name, key_prefix, scopes, created_at, revoked_at";

    @SqlQuery("INSERT INTO api_clients (id, name, key_hash, key_prefix, scopes, created_at) "
            + "VALUES (:id, :name, :keyHash, :keyShown, :scopes, now()) RETURNING " + COLUMNS)
    ApiClient insert(UUID id, String name, byte[] keyHash, String keyShown, String scopes);

    /** Revoked clients are not found: a revoked key and a key that never existed are told apart nowhere. */
    @SqlQuery("SELECT " + COLUMNS + " FROM api_clients WHERE key_hash = :keyHash AND revoked_at IS NULL")
    Optional<ApiClient> findActive(byte[] keyHash);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_clients ORDER BY id")
    List<ApiClient> all();

    /** @return 1 if the client was active and is now revoked, 0 if it is unknown or was revoked already */
    @SqlUpdate("UPDATE api_clients SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
    int revoke(UUID id);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_clients WHERE id = :id")
    Optional<ApiClient> find(UUID id);

    /**
     * Makes sure the client of a bootstrap key exists with every scope. The unique key hash makes this safe when
     * several instances start at once: one inserts, the others find its row. A revoked bootstrap client stays
     * revoked: revoking was someone's decision, and a restart must not undo it.
     */
    @SqlQuery("INSERT INTO api_clients AS c (id, name, key_hash, key_prefix, scopes, created_at) "
            + "VALUES (:id, :name, :keyHash, :keyShown, :scopes, now()) "
            + "ON CONFLICT (key_hash) DO UPDATE SET scopes = excluded.scopes WHERE c.revoked_at IS NULL "
            + "RETURNING " + COLUMNS)
    Optional<ApiClient> upsertBootstrap(UUID id, String name, byte[] keyHash, String keyShown, String scopes);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_clients WHERE key_hash = :keyHash")
    Optional<ApiClient> findByKey(byte[] keyHash);

    final class Mapper implements RowMapper<ApiClient> {
        @Override
        public ApiClient map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ApiClient(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("key_prefix"),
                    Scope.parse(rs.getString("scopes")), instant(rs.getTimestamp("created_at")),
                    instant(rs.getTimestamp("revoked_at")));
        }

        private static Instant instant(Timestamp timestamp) {
            return timestamp == null ? null : timestamp.toInstant();
        }
    }
}
