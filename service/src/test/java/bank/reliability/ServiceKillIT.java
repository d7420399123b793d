package bank.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.ServiceProcess;
import bank.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The service killed mid-load. {@code reliability.clients} clients (default 8) send keyed credits, debits and
 * transfers to the packaged service; after every {@code reliability.writesBetweenFaults} (default 100)
 * acknowledged writes the process gets SIGKILL, {@code reliability.kills} times (default 2), and is started
 * again on the same port. Requests in flight at the kill get no answer; their clients retry them with the same
 * key, and each takes effect once. Afterwards the ledger must hold exactly what the clients were told
 * ({@link LedgerChecks}) and every operation must have had a definite answer.
 */
class ServiceKillIT {

    private static final int CLIENTS = Integer.getInteger("reliability.clients", 8);
    private static final int KILLS = Integer.getInteger("reliability.kills", 2);
    private static final int WRITES_BETWEEN_FAULTS = Integer.getInteger("reliability.writesBetweenFaults", 100);

    @Test
    void requestsCutOffByAKillTakeEffectOnceWhenRetried() throws Exception {
        Figures figures = new Figures("ServiceKillIT");
        List<Long> restartTook = new ArrayList<>();
        List<Long> firstWrite = new ArrayList<>();
        List<Long> everyClient = new ArrayList<>();
        long inFlightAtKills = 0;
        try (TestDatabase database = TestDatabase.create();
             ServiceProcess service = ServiceProcess.start("service-kill", database.url(), Map.of())) {
            service.awaitHealthy();
            Workload workload = new Workload("kill", List.of(service::uri));
            List<String> accounts = workload.openAccounts(5, 50_000);
            workload.start(CLIENTS, accounts, 0);
            try {
                long serving = System.nanoTime();
                for (int kill = 0; kill < KILLS; kill++) {
                    workload.awaitAcknowledged("writes before kill " + kill, serving, WRITES_BETWEEN_FAULTS);
                    long killed = System.nanoTime();
                    service.kill();
                    service.restart();
                    service.awaitHealthy();
                    long previous = serving;
                    serving = System.nanoTime();
                    restartTook.add(TimeUnit.NANOSECONDS.toMillis(serving - killed));
                    inFlightAtKills += workload.unansweredSentBefore(killed, previous);
                    Workload.Recovery recovery = workload.awaitRecovery("restart " + kill, serving);
                    firstWrite.add(recovery.firstMillis());
                    everyClient.add(recovery.everyClientMillis());
                }
                workload.awaitAcknowledged("writes after the last restart", System.nanoTime(), WRITES_BETWEEN_FAULTS);
            } finally {
                workload.stop();
                figures.put("clients", CLIENTS).put("kills (SIGKILL)", KILLS)
                        .put("requests in flight at the kills (no answer)", inFlightAtKills);
                workload.recordTo(figures);
                figures.putMillis("kill -> restarted service healthy", restartTook)
                        .putMillis("recovery: healthy -> first acknowledged write", firstWrite)
                        .putMillis("recovery: healthy -> every client acknowledged", everyClient);
            }

            LedgerChecks.verify(database.jdbi(), workload.outcomes(), figures);
            workload.assertEveryOperationAnswered();
            assertThat(inFlightAtKills).as("requests cut off by the kills; none means the kills tested nothing")
                    .isPositive();
        } finally {
            figures.write();
        }
    }
}
