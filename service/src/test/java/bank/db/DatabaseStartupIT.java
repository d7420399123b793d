package bank.db;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.Await;
import bank.testing.ServiceProcess;
import bank.testing.TcpProxy;
import bank.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Start-up against a database that is not there yet, as in a compose stack whose PostgreSQL is still running its
 * init scripts: the service waits for it (one log line per wait, no stack trace), migrates once it answers and
 * becomes healthy without a restart; it gives up with a clear message when the wait is over; and two instances
 * starting together against a fresh database apply the schema once between them.
 */
class DatabaseStartupIT {

    private static final String WAITING = "not accepting connections yet";

    @Test
    void waitsForADatabaseThatOpensItsPortLaterAndBecomesHealthyWithoutARestart() throws Exception {
        try (TestDatabase database = TestDatabase.create(); TcpProxy port = TcpProxy.toTestDatabaseServer()) {
            port.cut(); // nothing listens on the port the service is given: connections are refused
            try (ServiceProcess service = ServiceProcess.start("startup-wait", port.relayed(database.url()), Map.of())) {
                Await.until("the service to wait for its database, twice", Duration.ofSeconds(60), () -> {
                    assertThat(service.isAlive()).as("the service is still running, waiting; its log:%n%s",
                            service.output()).isTrue();
                    return waits(service).size() >= 2;
                });

                port.restore();
                Await.until("the service to become healthy", Duration.ofSeconds(90), () -> {
                    assertThat(service.isAlive()).as("the same process is still running; its log:%n%s", service.output())
                            .isTrue();
                    return service.healthy();
                });

                assertThat(database.queryLong("SELECT count(*) FROM databasechangelog")).isEqualTo(TestDatabase.changesets());
                List<String> waits = waits(service);
                assertThat(waits).allSatisfy(line -> assertThat(line).contains("WARN", "127.0.0.1", "retrying"));
                assertThat(service.output()).as("no stack trace for a wait").doesNotContain("\tat ");
            }
        }
    }

    @Test
    void givesUpWithAClearMessageWhenTheDatabaseNeverComes() throws Exception {
        try (TestDatabase database = TestDatabase.create(); TcpProxy port = TcpProxy.toTestDatabaseServer()) {
            port.cut();
            try (ServiceProcess service = ServiceProcess.start("startup-give-up", port.relayed(database.url()),
                    Map.of("DB_STARTUP_TIMEOUT", "3s"))) {
                assertThat(service.awaitExit(Duration.ofSeconds(90))).isNotZero();
                assertThat(service.output()).contains("not reachable after 3 s");
                assertThat(waits(service)).isNotEmpty();
            }
        }
    }

    @Test
    void twoInstancesStartingTogetherApplyTheSchemaOnce() throws Exception {
        try (TestDatabase database = TestDatabase.create();
             ServiceProcess first = ServiceProcess.start("startup-concurrent-1", database.url(), Map.of());
             ServiceProcess second = ServiceProcess.start("startup-concurrent-2", database.url(), Map.of())) {
            Await.until("both instances to become healthy", Duration.ofSeconds(120), () -> {
                assertThat(first.isAlive()).as("first instance; its log:%n%s", first.output()).isTrue();
                assertThat(second.isAlive()).as("second instance; its log:%n%s", second.output()).isTrue();
                return first.healthy() && second.healthy();
            });

            assertThat(database.queryLong("SELECT count(*) FROM databasechangelog")).isEqualTo(TestDatabase.changesets());
            assertThat(database.queryLong("SELECT count(DISTINCT id) FROM databasechangelog")).isEqualTo(TestDatabase.changesets());
            assertThat(database.queryLong("SELECT count(*) FROM databasechangeloglock WHERE locked")).isZero();
        }
    }

    private static List<String> waits(ServiceProcess service) {
        return service.lines().stream().filter(line -> line.contains(WAITING)).toList();
    }
}
