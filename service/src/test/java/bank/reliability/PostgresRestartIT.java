package bank.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import bank.testing.ServiceProcess;
import bank.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarts under load. The service (the packaged jar) runs against a PostgreSQL server of the test's
 * own, which is stopped and started again {@code reliability.restarts} times (default 6), alternating a crash
 * ({@code pg_ctl stop -m immediate}) and a fast shutdown ({@code -m fast}), while {@code reliability.clients}
 * clients (default 8) send keyed credits, debits and transfers and retry whatever got no definite answer.
 * Between two restarts the clients get {@code reliability.writesBetweenFaults} (default 100) writes
 * acknowledged; PostgreSQL stays down until every client has met the outage.
 *
 * <p>Afterwards the ledger must hold exactly what the clients were told ({@link LedgerChecks}), every operation
 * must have had a definite answer, and after each restart the first write must be acknowledged within
 * {@code reliability.recoveryBoundMillis} (default 4000) of PostgreSQL accepting connections again.
 */
class PostgresRestartIT {

    private static final int CLIENTS = Integer.getInteger("reliability.clients", 8);
    private static final int RESTARTS = Integer.getInteger("reliability.restarts", 6);
    private static final int WRITES_BETWEEN_FAULTS = Integer.getInteger("reliability.writesBetweenFaults", 100);
    private static final long RECOVERY_BOUND_MILLIS = Long.getLong("reliability.recoveryBoundMillis", 4_000);

    @Test
    void acknowledgedWritesSurviveEveryRestartAndWritesResumeQuickly() throws Exception {
        Figures figures = new Figures("PostgresRestartIT");
        List<Long> firstWrite = new ArrayList<>();
        List<Long> everyClient = new ArrayList<>();
        List<Long> restartTook = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        try (OwnPostgres postgres = OwnPostgres.create();
             ServiceProcess service = ServiceProcess.start("postgres-restart", postgres.jdbcUrl(), Map.of())) {
            service.awaitHealthy();
            Workload workload = new Workload("pg-restart", List.of(service::uri));
            List<String> accounts = workload.openAccounts(5, 50_000);
            workload.start(CLIENTS, accounts, 0);
            try {
                for (int restart = 0; restart < RESTARTS; restart++) {
                    workload.awaitAcknowledged("writes before restart " + restart, System.nanoTime(), WRITES_BETWEEN_FAULTS);
                    String mode = restart % 2 == 0 ? "immediate" : "fast";
                    modes.add(mode);
                    long retriedBefore = workload.failedAttempts();
                    postgres.stop(mode);
                    await("the clients to meet the outage").atMost(Duration.ofMinutes(2))
                            .until(() -> workload.failedAttempts() >= retriedBefore + CLIENTS);
                    long starting = System.nanoTime();
                    postgres.start();
                    long accepting = System.nanoTime();
                    restartTook.add(TimeUnit.NANOSECONDS.toMillis(accepting - starting));
                    Workload.Recovery recovery = workload.awaitRecovery("restart " + restart, accepting);
                    firstWrite.add(recovery.firstMillis());
                    everyClient.add(recovery.everyClientMillis());
                }
                workload.awaitAcknowledged("writes after the last restart", System.nanoTime(), WRITES_BETWEEN_FAULTS);
            } finally {
                workload.stop();
                figures.put("clients", CLIENTS).put("restarts (pg_ctl stop -m)", modes);
                workload.recordTo(figures);
                figures.putMillis("PostgreSQL restart (pg_ctl start until accepting)", restartTook)
                        .putMillis("recovery: accepting again -> first acknowledged write", firstWrite)
                        .putMillis("recovery: accepting again -> every client acknowledged", everyClient);
            }

            LedgerChecks.verify(Jdbi.create(postgres.jdbcUrl(), TestDatabase.USER, "").installPlugin(new SqlObjectPlugin()),
                    workload.outcomes(), figures);
            workload.assertEveryOperationAnswered();
            assertThat(firstWrite).as("ms from PostgreSQL accepting connections again to the first acknowledged write")
                    .allMatch(ms -> ms <= RECOVERY_BOUND_MILLIS);
        } finally {
            figures.write();
        }
    }
}
