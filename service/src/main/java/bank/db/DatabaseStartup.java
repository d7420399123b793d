package bank.db;

import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits at start-up for a database that is not accepting connections yet, then applies the migrations.
 *
 * <p>A stack started all at once (compose, or a restart of the whole machine) can bring the service up while
 * PostgreSQL is still initialising: the port is closed, or the server answers "starting up". Both pass within
 * seconds, so the service retries with backoff for a configurable time, writing one line per wait, instead of
 * exiting on the first refused connection. Anything else (a wrong password, a missing database) is not
 * going to pass by waiting and fails at once. The service runs it before serving; the {@code migrate} command
 * ({@link MigrateCommand}) runs the same steps and exits.
 */
public final class DatabaseStartup {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseStartup.class);
    private static final Duration FIRST_DELAY = Duration.ofMillis(500);
    private static final Duration LONGEST_DELAY = Duration.ofSeconds(5);
    private static final int CONNECT_TIMEOUT_SECONDS = 5;

    private final DataSourceFactory factory;
    private final Duration patience;
    private final long deadline;

    private DatabaseStartup(DataSourceFactory factory, Duration patience) {
        this.factory = factory;
        this.patience = patience;
        this.deadline = System.nanoTime() + patience.toNanos();
    }

    /**
     * Returns once the database accepts connections and, if {@code migrate}, the schema is up to date.
     *
     * @param patience how long to keep retrying a database that is not reachable yet
     * @throws IllegalStateException when the database is still unreachable after {@code patience}
     */
    public static void await(DataSourceFactory factory, ManagedDataSource dataSource, boolean migrate, Duration patience)
            throws Exception {
        DatabaseStartup startup = new DatabaseStartup(factory, patience);
        // A bare connection rather than the pool's: the pool logs a stack trace for every connection it fails to open.
        startup.retry("connect", () -> {
            try (Connection connection = DriverManager.getConnection(factory.getUrl(), connectionProperties(factory))) {
                connection.isValid(CONNECT_TIMEOUT_SECONDS);
            }
        });
        if (migrate) {
            startup.retry("migrate", () -> Database.migrate(dataSource));
        }
    }

    private void retry(String step, Step action) throws Exception {
        Duration delay = FIRST_DELAY;
        for (int attempt = 1; ; attempt++) {
            try {
                action.run();
                if (attempt > 1) {
                    LOG.info("database {} is accepting connections ({} step succeeded on attempt {})", target(), step, attempt);
                }
                return;
            } catch (Exception e) {
                if (!isNotReadyYet(e)) {
                    throw e;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new Unreachable("database " + target() + " not reachable after "
                            + patience.toSeconds() + " s (DB_STARTUP_TIMEOUT): " + reason(e), e);
                }
                Duration wait = delay.compareTo(Duration.ofNanos(remaining)) < 0 ? delay : Duration.ofNanos(remaining);
                LOG.warn("database {} not accepting connections yet ({}); retrying in {} ms, for {} s more",
                        target(), reason(e), wait.toMillis(), Duration.ofNanos(remaining).toSeconds());
                Thread.sleep(wait.toMillis());
                delay = delay.multipliedBy(2).compareTo(LONGEST_DELAY) < 0 ? delay.multipliedBy(2) : LONGEST_DELAY;
            }
        }
    }

    /**
     * Connection failures (SQLSTATE class 08: refused, unknown host, closed) and a server that is starting up or
     * shutting down (57P03) pass by themselves; authentication or a missing database (28, 3D) do not.
     */
    static boolean isNotReadyYet(Throwable e) {
        return Stream.iterate(e, Objects::nonNull, Throwable::getCause)
                .filter(SQLException.class::isInstance)
                .map(t -> ((SQLException) t).getSQLState())
                .filter(Objects::nonNull)
                .anyMatch(state -> state.startsWith("08") || state.equals("57P03"));
    }

    /**
     * Why {@link #await} failed, in one line: the database (host, port and name, never the URL's parameters) and
     * the innermost SQL failure, whose server detail the connection properties keep out (logServerErrorDetail).
     */
    public static String failure(DataSourceFactory factory, Throwable e) {
        return e instanceof Unreachable ? e.getMessage() : "database " + target(factory) + ": " + reason(e);
    }

    /** The innermost SQL failure, in one line: its state and message. */
    private static String reason(Throwable e) {
        SQLException innermost = Stream.iterate(e, Objects::nonNull, Throwable::getCause)
                .filter(SQLException.class::isInstance).map(SQLException.class::cast)
                .reduce((outer, inner) -> inner).orElse(null);
        String message = innermost == null ? e.toString() : innermost.getSQLState() + " " + innermost.getMessage();
        return message.lines().findFirst().orElse("");
    }

    private String target() {
        return target(factory);
    }

    /** Host, port and database of the JDBC URL; never its parameters, which could carry a password. */
    private static String target(DataSourceFactory factory) {
        URI uri = URI.create(factory.getUrl().replaceFirst("^jdbc:", ""));
        return uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + uri.getPath();
    }

    private static Properties connectionProperties(DataSourceFactory factory) {
        Properties properties = new Properties();
        properties.putAll(factory.getProperties());
        properties.setProperty("user", Objects.requireNonNullElse(factory.getUser(), ""));
        properties.setProperty("password", Objects.requireNonNullElse(factory.getPassword(), ""));
        return properties;
    }

    /** The database still refused connections when the wait was over; the message says so in one line. */
    private static final class Unreachable extends IllegalStateException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
