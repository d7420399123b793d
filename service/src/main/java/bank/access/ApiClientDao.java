package bank.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

@RegisterRowMapper(ApiClientDao.ClientMapper.class)
@RegisterRowMapper(ApiClientDao.KeyMapper.class)
interface ApiClientDao {

    String CLIENT = "c.id, c.name, c.scopes, c.created_at, c.revoked_at, c.rate_limit_per_second, c.rate_limit_burst";
    String KEY = "k.key_hash, k.key_prefix, k.created_at AS key_created_at, k.expires_at, "
            + "k.revoked_at AS key_revoked_at, k.last_used_at";
    /** A key lets a request in while neither it nor its client is revoked and it has not expired. */
    String LIVE = "k.revoked_at IS NULL AND c.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())";
    /** Every change that an instance's key cache must hear of at once goes with this, in the same transaction. */
    String NOTIFY = "SELECT pg_notify('" + AccessChanges.CHANNEL + "', '')";

    @SqlQuery("INSERT INTO api_clients AS c (id, name, scopes, created_at, rate_limit_per_second, rate_limit_burst) "
            + "VALUES (:id, :name, :scopes, now(), :perSecond, :burst) RETURNING " + CLIENT)
    ApiClient insert(UUID id, String name, String scopes, Double perSecond, Integer burst);

    @SqlUpdate("INSERT INTO api_keys (key_hash, client_id, key_prefix, created_at) VALUES (:keyHash, :client, "
            + ":keyShown, now()) ON CONFLICT (key_hash) DO NOTHING")
    int insertKey(byte[] keyHash, UUID client, String keyShown);

    @SqlQuery("SELECT " + CLIENT + ", " + KEY + " FROM api_keys k JOIN api_clients c ON c.id = k.client_id "
            + "WHERE k.key_hash = :keyHash AND " + LIVE)
    @UseRowMapper(ClientWithKeyMapper.class)
    Optional<ApiClient> findLive(byte[] keyHash);

    @SqlQuery("SELECT " + CLIENT + " FROM api_clients c ORDER BY c.id")
    List<ApiClient> all();

    @SqlQuery("SELECT k.client_id, " + KEY + " FROM api_keys k ORDER BY k.client_id, k.created_at, k.key_hash")
    @UseRowMapper(ClientKeyMapper.class)
    List<ClientKey> allKeys();

    @SqlQuery("SELECT " + KEY + " FROM api_keys k WHERE k.client_id = :client ORDER BY k.created_at, k.key_hash")
    List<ApiKey> keysOf(UUID client);

    /** Locks the client's row: rotations and revocations of one client take turns. */
    @SqlQuery("SELECT " + CLIENT + " FROM api_clients c WHERE c.id = :id FOR UPDATE")
    Optional<ApiClient> lock(UUID id);

    @SqlQuery("SELECT " + CLIENT + " FROM api_clients c WHERE c.id = :id")
    Optional<ApiClient> find(UUID id);

    @SqlQuery("SELECT " + CLIENT + " FROM api_keys k JOIN api_clients c ON c.id = k.client_id "
            + "WHERE k.key_hash = :keyHash")
    Optional<ApiClient> findByKey(byte[] keyHash);

    /** Revokes the client and every key of it that still works; an expired key keeps its state. */
    @SqlUpdate("WITH client AS (UPDATE api_clients SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL "
            + "RETURNING id) UPDATE api_keys k SET revoked_at = now() FROM client "
            + "WHERE k.client_id = client.id AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())")
    int revoke(UUID id);

    /**
     * Ends the client's live keys no later than {@code seconds} from now: the step of a rotation before the new key.
     */
    @SqlUpdate("UPDATE api_keys SET expires_at = least(coalesce(expires_at, 'infinity'), now() + make_interval(secs "
            + "=> :seconds)) WHERE client_id = :client AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())")
    int expireLiveKeys(UUID client, long seconds);

    @SqlQuery("SELECT count(*) FROM api_keys k JOIN api_clients c ON c.id = k.client_id WHERE k.client_id = :client "
            + "AND " + LIVE)
    int countLiveKeys(UUID client);

    @SqlQuery("UPDATE api_clients c SET rate_limit_per_second = :perSecond, rate_limit_burst = :burst WHERE id = :id "
            + "RETURNING " + CLIENT)
    Optional<ApiClient> setRatePolicy(UUID id, Double perSecond, Integer burst);

    @SqlUpdate("UPDATE api_clients SET scopes = :scopes WHERE id = :id AND revoked_at IS NULL")
    int setScopesUnlessRevoked(UUID id, String scopes);

    /**
     * Records that the key was used, unless that was recorded less than a minute ago (by any instance): the
     * condition makes a second instance's attempt within the minute match no row, and so write nothing.
     */
    @SqlUpdate("UPDATE api_keys SET last_used_at = now() WHERE key_hash = :keyHash "
            + "AND (last_used_at IS NULL OR last_used_at <= now() - interval '1 minute')")
    int recordUse(byte[] keyHash);

    @SqlQuery(NOTIFY)
    String notifyInstances();

    record ClientKey(UUID client, ApiKey key) {
    }

    final class ClientMapper implements RowMapper<ApiClient> {
        @Override
        public ApiClient map(ResultSet rs, StatementContext ctx) throws SQLException {
            double perSecond = rs.getDouble("rate_limit_per_second");
            RatePolicy policy = rs.wasNull() ? null : new RatePolicy(perSecond, rs.getInt("rate_limit_burst"));
            return new ApiClient(rs.getObject("id", UUID.class), rs.getString("name"),
                    Scope.parse(rs.getString("scopes")), instant(rs.getTimestamp("created_at")),
                    instant(rs.getTimestamp("revoked_at")), policy, null);
        }
    }

    final class KeyMapper implements RowMapper<ApiKey> {
        @Override
        public ApiKey map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ApiKey(HexFormat.of().formatHex(rs.getBytes("key_hash")), rs.getString("key_prefix"),
                    instant(rs.getTimestamp("key_created_at")), instant(rs.getTimestamp("expires_at")),
                    instant(rs.getTimestamp("key_revoked_at")), instant(rs.getTimestamp("last_used_at")));
        }
    }

    final class ClientWithKeyMapper implements RowMapper<ApiClient> {
        @Override
        public ApiClient map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ClientMapper().map(rs, ctx).withKey(new KeyMapper().map(rs, ctx));
        }
    }

    final class ClientKeyMapper implements RowMapper<ClientKey> {
        @Override
        public ClientKey map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ClientKey(rs.getObject("client_id", UUID.class), new KeyMapper().map(rs, ctx));
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
