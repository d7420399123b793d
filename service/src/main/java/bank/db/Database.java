package bank.db;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Currency;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.UpdateSummaryEnum;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** Builds the Jdbi instance with the bank's column types, and applies schema migrations. */
public final class Database {

    /** The Liquibase changelog, also used by the {@code db migrate} command. */
    public static final String CHANGELOG = "migrations.xml";

    /** The key of the PostgreSQL advisory lock that instances take in turn to migrate ("bank" in ASCII). */
    private static final long MIGRATION_LOCK = 0x62616e6bL;

    private Database() {
    }

    public static Jdbi jdbi(Environment environment, DataSourceFactory factory, ManagedDataSource dataSource) {
        return configure(new JdbiFactory().build(environment, factory, dataSource, "postgresql"));
    }

    /** For a command that runs outside the server, with no health checks or metrics to register. */
    public static Jdbi jdbi(DataSource dataSource) {
        return configure(Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()));
    }

    private static Jdbi configure(Jdbi jdbi) {
        // Binds ids, null ones too, as uuid rather than varchar, which PostgreSQL refuses where a uuid is expected.
        jdbi.installPlugin(new PostgresTypes());
        // Exception messages carry the driver's error and nothing else. SHORT_STATEMENT (JDBI's default), PARAMETERS
        // and DETAIL all append the bound values, which can be a customer's name; NONE appends neither values nor SQL.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        jdbi.registerArgument(new CurrencyArgument());
        return jdbi;
    }

    /** Brings the schema up to date. Liquibase's lock table makes concurrent starts of several instances safe. */
    public static void migrate(ManagedDataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            migrate(connection);
        }
    }

    private static void migrate(Connection connection) throws Exception {
        // Instances starting together take turns: Liquibase's own lock is taken only after it has created its
        // tables, and on a fresh database two instances would both try to create them. The wait for the turn is
        // as long as the other instance's migration, so the pool's statement, lock and idle-in-transaction
        // limits, meant for requests, are lifted for this session and restored afterwards.
        session(connection, "SET statement_timeout = 0", "SET lock_timeout = 0",
                "SET idle_in_transaction_session_timeout = 0", "SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
        try {
            liquibase.database.Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            // No usage analytics (a migration must not call out to a third party), and no report on stdout:
            // progress goes to the log.
            Map<String, Object> scope = Map.of(
                    Scope.Attr.resourceAccessor.name(), new ClassLoaderResourceAccessor(Database.class.getClassLoader()),
                    Scope.Attr.ui.name(), new LoggerUIService(),
                    "liquibase.analytics.enabled", false);
            Scope.child(scope, () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                            .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                            .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
                            .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY, UpdateSummaryEnum.OFF)
                            .execute());
        } finally {
            // Liquibase leaves autocommit off; the connection goes back to the pool the way it came out.
            connection.setAutoCommit(true);
            session(connection, "SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")", "RESET statement_timeout",
                    "RESET lock_timeout", "RESET idle_in_transaction_session_timeout");
        }
    }

    private static void session(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /**
     * The PostgreSQL plugin's arguments and column mappers, without its set-up of each handle: that set-up
     * prepares large objects and custom PGobject types, which the service does not use, and the large object
     * part queries pg_catalog on the first handle of every connection, a statement in a request's trace or in a
     * health check that should send none.
     */
    private static final class PostgresTypes extends PostgresPlugin {
        @Override
        public Handle customizeHandle(Handle handle) {
            return handle;
        }
    }

    private static final class CurrencyArgument extends AbstractArgumentFactory<Currency> {
        CurrencyArgument() {
            super(Types.CHAR);
        }

        @Override
        protected Argument build(Currency value, ConfigRegistry config) {
            return (position, statement, ctx) -> statement.setString(position, value.getCurrencyCode());
        }
    }
}
