package bank.db;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.ServiceProcess;
import bank.testing.TcpProxy;
import bank.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code migrate config.yml} as compose's api-migrate and the chart's init container run it: the packaged jar as a
 * process, configured through its environment. Runs started together on a fresh database both succeed and apply each
 * changeset once; a run on a current schema changes nothing; a run against a database that refuses connections
 * waits, then fails with the reason in one line; a run that cannot succeed by waiting fails at once. The exit
 * status is what compose's service_completed_successfully and the kubelet go by.
 */
class MigrateCommandIT {

    private static final Duration JVM_RUN = Duration.ofMinutes(2);
    /** Given to the runs that must fail, so that the test can look for it in their output. */
    private static final String PASSWORD = "migrate-test-password-never-logged";

    @Test
    void twoRunsStartedTogetherOnAFreshDatabaseBothSucceedAndApplyEachChangesetOnce() throws Exception {
        try (TestDatabase database = TestDatabase.create();
             ServiceProcess first = ServiceProcess.run("migrate-concurrent-1", "migrate", database.url(), Map.of());
             ServiceProcess second = ServiceProcess.run("migrate-concurrent-2", "migrate", database.url(), Map.of())) {
            assertThat(first.awaitExit(JVM_RUN)).as("first run's exit status; its log:%n%s", first.output()).isZero();
            assertThat(second.awaitExit(JVM_RUN)).as("second run's exit status; its log:%n%s", second.output()).isZero();

            long changesets = TestDatabase.changesets();
            assertThat(database.queryLong("SELECT count(*) FROM databasechangelog")).isEqualTo(changesets);
            assertThat(database.queryLong("SELECT count(DISTINCT id) FROM databasechangelog")).isEqualTo(changesets);
            assertThat(database.queryLong("SELECT count(*) FROM databasechangeloglock WHERE locked")).isZero();
            assertThat(database.queryLong("SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                    + "('accounts', 'transfers', 'transactions', 'idempotency_keys', 'api_clients', 'api_keys')"))
                    .isEqualTo(6);
            for (ServiceProcess run : new ServiceProcess[] {first, second}) {
                assertThat(run.output()).contains("the database schema is up to date").doesNotContain("ERROR");
            }
        }
    }

    @Test
    void aRunOnACurrentSchemaChangesNothing() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            database.migrate();
            String before = schema(database);

            try (ServiceProcess run = ServiceProcess.run("migrate-current", "migrate", database.url(), Map.of())) {
                assertThat(run.awaitExit(JVM_RUN)).as("exit status; log:%n%s", run.output()).isZero();
                assertThat(run.output()).contains("the database schema is up to date");
            }

            assertThat(schema(database)).isEqualTo(before);
            assertThat(database.queryLong("SELECT count(*) FROM databasechangelog")).isEqualTo(TestDatabase.changesets());
        }
    }

    @Test
    void waitsForADatabaseThatRefusesConnectionsThenFailsWithTheReasonInOneLine() throws Exception {
        try (TestDatabase database = TestDatabase.create(); TcpProxy port = TcpProxy.toTestDatabaseServer()) {
            port.cut(); // nothing listens on the port the command is given: connections are refused
            String url = port.relayed(database.url());
            try (ServiceProcess run = ServiceProcess.run("migrate-give-up", "migrate", url,
                    Map.of("DB_STARTUP_TIMEOUT", "3s", "DATABASE_PASSWORD", PASSWORD))) {
                assertThat(run.awaitExit(JVM_RUN)).as("exit status; log:%n%s", run.output()).isNotZero();

                String target = url.replaceFirst("^jdbc:postgresql://", "").replaceFirst("\\?.*$", "");
                assertThat(run.lines()).filteredOn(line -> line.contains("not accepting connections yet"))
                        .isNotEmpty().allSatisfy(line -> assertThat(line).contains("WARN", target, "retrying"));
                assertThat(run.lines()).filteredOn(line -> line.contains("ERROR")).singleElement().asString()
                        .contains("migration failed: database " + target + " not reachable after 3 s "
                                + "(DB_STARTUP_TIMEOUT): 08001 ");
                assertThat(run.output()).as("no stack trace, no password").doesNotContain("\tat ", PASSWORD)
                        .doesNotContain("the database schema is up to date");
            }
            assertThat(database.queryLong("SELECT count(*) FROM information_schema.tables WHERE table_name = "
                    + "'databasechangelog'")).isZero();
        }
    }

    @Test
    void failsAtOnceWhenWaitingCannotHelp() throws Exception {
        try (TestDatabase database = TestDatabase.create();
             ServiceProcess run = ServiceProcess.run("migrate-refused", "migrate", database.url(),
                     Map.of("DB_STARTUP_TIMEOUT", "5m", "DATABASE_PASSWORD", PASSWORD))) {
            // Well within the five minutes it would wait for a database that refuses connections.
            assertThat(run.awaitExit(JVM_RUN)).as("exit status; log:%n%s", run.output()).isNotZero();

            assertThat(run.lines()).filteredOn(line -> line.contains("ERROR")).singleElement().asString()
                    .contains("migration failed: database ", "28P01 ");
            assertThat(run.output()).doesNotContain("not accepting connections yet", "\tat ", PASSWORD);
        }
    }

    /** The changelog's rows as Liquibase wrote them, and every column, constraint and index of the schema. */
    private static String schema(TestDatabase database) throws SQLException {
        StringBuilder schema = new StringBuilder();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            for (String sql : new String[] {
                "SELECT id, author, filename, dateexecuted, orderexecuted, md5sum FROM databasechangelog ORDER BY orderexecuted",
                "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
                        + "WHERE table_schema = 'public' ORDER BY table_name, column_name",
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                        + "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
                "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2"}) {
                try (ResultSet rows = statement.executeQuery(sql)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            schema.append(rows.getString(i)).append('|');
                        }
                        schema.append('\n');
                    }
                }
            }
        }
        return schema.toString();
    }
}
