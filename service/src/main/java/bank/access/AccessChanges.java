package bank.access;

import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this instance at once when a client or a key changes anywhere (a revocation, a rotation, a new rate limit):
 * every such change sends a notification on {@value #CHANNEL} in its own transaction, so it is heard when, and only
 * if, it commits. A thread listens on a connection of its own, outside the pool, and empties the key cache on each
 * notification, so the next request of each key reads its client again.
 *
 * <p>A notification is lost if the connection is down when it is sent (a database restart, a network cut). The
 * thread then connects again, every second until it can, and empties the cache once it listens again, since it
 * cannot know what it missed; until then, the cache's time to live ({@code access.keyCacheTtl}) is the bound.
 */
final class AccessChanges implements Managed {

    static final String CHANNEL = "bank_api_clients";
    /** The listening connection's application_name, which tells it apart in pg_stat_activity. */
    static final String APPLICATION_NAME = "bank-api-access-changes";
    private static final Duration RECONNECT_EVERY = Duration.ofSeconds(1);
    /** How long one wait for notifications blocks; it bounds how long stopping takes. */
    private static final int WAIT_MILLIS = 500;
    /** A connection that has been silent for this long is checked, so that a dead one is noticed. */
    private static final long CHECK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Logger LOG = LoggerFactory.getLogger(AccessChanges.class);

    interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final Runnable onChange;
    private volatile boolean running;
    private Thread thread;

    /** @param onChange what to do on each change, and after each (re)connection */
    AccessChanges(Connector connector, Runnable onChange) {
        this.connector = connector;
        this.onChange = onChange;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listen, "access-changes");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private void listen() {
        boolean lost = false;
        while (running) {
            try (Connection connection = connector.connect()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                onChange.run();
                if (lost) {
                    LOG.info("listening for changes of API clients again; the key cache was emptied");
                    lost = false;
                }
                receive(connection);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!lost) {
                    lost = true;
                    LOG.warn("not listening for changes of API clients ({} SQLSTATE {}); a revoked key may work for up "
                            + "to access.keyCacheTtl until this connects again", e.getClass().getSimpleName(),
                            e instanceof SQLException sql ? sql.getSQLState() : "-");
                }
                try {
                    Thread.sleep(RECONNECT_EVERY.toMillis());
                } catch (InterruptedException stopping) {
                    return;
                }
            }
        }
    }

    private void receive(Connection connection) throws SQLException {
        PGConnection listening = connection.unwrap(PGConnection.class);
        long lastHeard = System.nanoTime();
        while (running) {
            PGNotification[] notifications = listening.getNotifications(WAIT_MILLIS);
            if (notifications != null && notifications.length > 0) {
                onChange.run();
                lastHeard = System.nanoTime();
            } else if (System.nanoTime() - lastHeard > CHECK_AFTER_NANOS) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                lastHeard = System.nanoTime();
            }
        }
    }
}
