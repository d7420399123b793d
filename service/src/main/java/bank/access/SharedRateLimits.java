package bank.access;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.jdbc.PgStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each client's token bucket in PostgreSQL, shared by every instance: one statement per request, in autocommit on a
 * connection of its own from the pool, before the request's transaction begins, so a refused request writes nothing
 * else and a granted one's token stays taken whatever its transaction does.
 *
 * <p>The statement refills the bucket for the time since its last request, takes a token if there is one, and
 * returns what is left; the row's lock makes concurrent requests of one client, on any instance, take turns.
 *
 * <p>When the database does not answer within {@code timeout} (or refuses), the request is counted in this
 * instance's own bucket instead ({@link LocalRateLimits}), and so is every request for the next second before the
 * database is tried again: a slow database then adds {@code timeout} to one request a second, not to each. Meanwhile
 * a client may send up to its limit to each instance, which is the rate a client had before buckets were shared;
 * refusing every request instead would turn a slow database into an outage of every client.
 */
final class SharedRateLimits implements RateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(SharedRateLimits.class);
    static final Duration RETRY_DATABASE_AFTER = Duration.ofSeconds(1);

    /** The bucket's refill is computed from the database's clock, the one clock every instance shares. */
    private static final String TAKE = """
            INSERT INTO rate_limit_buckets AS b (client_id, tokens, refilled_at, granted)
            VALUES (:client, :burst - 1, now(), true)
            ON CONFLICT (client_id) DO UPDATE SET (tokens, granted, refilled_at) = (
              SELECT CASE WHEN available >= 1 THEN available - 1 ELSE available END, available >= 1,
                     greatest(b.refilled_at, now())
              FROM (SELECT least(:burst, b.tokens + :perSecond
                                 * greatest(0, extract(epoch FROM now() - b.refilled_at)::float8)) AS available) refill)
            RETURNING tokens, granted""";

    private final Jdbi jdbi;
    private final RateLimiter fallback;
    private final StatementCustomizer timeout;
    private volatile long databaseRetryAt;
    private volatile boolean fallingBack;

    SharedRateLimits(Jdbi jdbi, Duration timeout, RateLimiter fallback) {
        this.jdbi = jdbi;
        this.fallback = fallback;
        this.timeout = new QueryTimeout(timeout.toMillis());
    }

    @Override
    public Decision tryAcquire(UUID client, RatePolicy policy) {
        if (fallingBack && System.nanoTime() - databaseRetryAt < 0) {
            return fallback.tryAcquire(client, policy);
        }
        try {
            Decision decision = jdbi.withHandle(handle -> handle.createQuery(TAKE)
                    .addCustomizer(timeout)
                    .bind("client", client)
                    .bind("burst", (double) policy.burst())
                    .bind("perSecond", policy.perSecond())
                    .map((rs, ctx) -> new Decision(policy, rs.getBoolean("granted"), rs.getDouble("tokens")))
                    .one());
            if (fallingBack) {
                fallingBack = false;
                LOG.info("the shared rate limit answers again; requests are counted in PostgreSQL again");
            }
            return decision;
        } catch (RuntimeException e) {
            databaseRetryAt = System.nanoTime() + RETRY_DATABASE_AFTER.toNanos();
            if (!fallingBack) {
                fallingBack = true;
                LOG.warn("the shared rate limit did not answer ({}); counting requests in this instance's buckets, "
                        + "trying the database again every {} s", reason(e), RETRY_DATABASE_AFTER.toSeconds());
            }
            return fallback.tryAcquire(client, policy);
        }
    }

    /** The exception's class and SQL state: a server message may quote a row. */
    private static String reason(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql.getClass().getSimpleName() + " SQLSTATE " + sql.getSQLState();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** A client-side limit in milliseconds, which JDBC's own setQueryTimeout (whole seconds) cannot say. */
    private record QueryTimeout(long millis) implements StatementCustomizer {
        @Override
        public void beforeExecution(java.sql.PreparedStatement statement, StatementContext ctx) throws SQLException {
            Statement driver = statement.isWrapperFor(PgStatement.class) ? statement.unwrap(PgStatement.class) : null;
            if (driver instanceof PgStatement pg) {
                pg.setQueryTimeoutMs(millis);
            } else {
                statement.setQueryTimeout((int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(millis + 999)));
            }
        }
    }
}
