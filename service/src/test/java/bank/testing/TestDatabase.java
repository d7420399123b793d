package bank.testing;

import static org.assertj.core.api.Assertions.assertThat;

import bank.db.Database;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throw-away PostgreSQL database on the server named by {@code TEST_DATABASE_URL} (default
 * {@code jdbc:postgresql://localhost:5432/bank_test}, user and password from {@code TEST_DATABASE_USER} and
 * {@code TEST_DATABASE_PASSWORD}, both {@code bank} by default). Each test class gets its own database, created
 * next to that one and dropped afterwards, so classes never see each other's rows. The user needs CREATEDB.
 */
public final class TestDatabase implements AutoCloseable {

    private static final String BASE_URL = env("TEST_DATABASE_URL", "jdbc:postgresql://localhost:5432/bank_test");
    public static final String USER = env("TEST_DATABASE_USER", "bank");
    public static final String PASSWORD = env("TEST_DATABASE_PASSWORD", "bank");

    private final String name;
    private final String url;

    private TestDatabase(String name) {
        this.name = name;
        int slash = BASE_URL.lastIndexOf('/');
        int query = BASE_URL.indexOf('?', slash);
        this.url = BASE_URL.substring(0, slash + 1) + name + (query < 0 ? "" : BASE_URL.substring(query));
    }

    public static TestDatabase create() {
        String name = "bank_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        admin("CREATE DATABASE " + name);
        return new TestDatabase(name);
    }

    public String url() {
        return url;
    }

    /** The URL of the database the throw-away ones are created next to, which names the server. */
    public static String serverUrl() {
        return BASE_URL;
    }

    /** Brings the schema up to date with the service's own migrations, as the service does at start-up. */
    public void migrate() throws Exception {
        DataSourceFactory factory = new DataSourceFactory();
        factory.setDriverClass("org.postgresql.Driver");
        factory.setUrl(url);
        factory.setUser(USER);
        factory.setPassword(PASSWORD);
        ManagedDataSource dataSource = factory.build(new MetricRegistry(), "migrations");
        try {
            Database.migrate(dataSource);
        } finally {
            dataSource.stop();
        }
    }

    /** The changesets of the migrations (src/main/resources/db/*.sql), each of which must be applied once. */
    public static long changesets() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db"))) {
            long count = 0;
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                count += Files.readAllLines(file).stream().filter(line -> line.startsWith("--changeset ")).count();
            }
            return count;
        }
    }

    /** A Jdbi on this database, configured as the service configures its own. */
    public Jdbi jdbi() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(USER);
        dataSource.setPassword(PASSWORD);
        return Database.jdbi(dataSource);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, USER, PASSWORD);
    }


    /**
     * Opens a transaction that holds an account's row lock, as a concurrent writer would, until the connection
     * commits, rolls back or closes. It connects straight to the server, never through a relay a test may cut.
     */
    public Connection lockAccount(String accountId) throws SQLException {
        Connection holder = connect();
        try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM accounts WHERE id = ?::uuid FOR UPDATE")) {
            holder.setAutoCommit(false);
            lock.setString(1, accountId);
            lock.executeQuery().close();
            return holder;
        } catch (SQLException e) {
            holder.close();
            throw e;
        }
    }

    /** Runs a query that returns one number, such as a count or a sum. */
    public long queryLong(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a statement, such as an update that sets up a case the API cannot produce. */
    public void execute(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a changeset's SQL file from the class path as Liquibase does: the whole file in one transaction. */
    public void runChangeset(String resource) throws IOException, SQLException {
        String sql;
        try (InputStream in = TestDatabase.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " on the class path");
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute(sql);
            connection.commit();
        }
    }

    /** Runs a statement that the schema must refuse, and checks that it does, for the given SQLSTATE. */
    public void assertRefused(String sql, String sqlState) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
            throw new AssertionError("the database accepted: " + sql);
        } catch (SQLException e) {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState);
        }
    }

    /**
     * Drops the database. Monitoring sessions of other roles (a local postgres_exporter, say) can hold it open
     * for a moment, and FORCE may not end those, so the drop is retried for a few seconds before giving up.
     */
    @Override
    public void close() {
        Awaitility.await("database " + name + " dropped").atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IllegalStateException.class)
                .until(() -> {
                    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                    return true;
                });
    }

    private static void admin(String sql) {
        try (Connection admin = DriverManager.getConnection(BASE_URL, USER, PASSWORD);
             Statement statement = admin.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the test PostgreSQL at " + BASE_URL
                    + " as " + USER + " (set TEST_DATABASE_URL, TEST_DATABASE_USER, TEST_DATABASE_PASSWORD)", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
