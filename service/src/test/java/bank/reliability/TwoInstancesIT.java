package bank.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import bank.reliability.Workload.Outcome;
import bank.reliability.Workload.Result;
import bank.testing.ServiceProcess;
import bank.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the packaged service against one database, as behind a load balancer. Both start at once
 * (their migrations race, and Liquibase's lock must serialise them). {@code reliability.clients} clients
 * (default 8), spread over both, run the concurrency workload, {@code reliability.operationsPerClient} (default
 * 150) operations each, with hot accounts and reversed pairs; one operation in ten sends its first attempt to
 * both instances at once with the same key, as a client retrying through the balancer before its first try
 * answered would. Afterwards the ledger must hold exactly what the clients were told ({@link LedgerChecks}):
 * row locks and idempotency keys live in the database, so the instances need nothing from each other.
 */
class TwoInstancesIT {

    private static final int CLIENTS = Integer.getInteger("reliability.clients", 8);
    private static final int OPERATIONS_PER_CLIENT = Integer.getInteger("reliability.operationsPerClient", 150);

    @Test
    void twoInstancesKeepTheLedgerExactlyAsOneWould() throws Exception {
        Figures figures = new Figures("TwoInstancesIT");
        try (TestDatabase database = TestDatabase.create();
             ServiceProcess first = ServiceProcess.start("instance-a", database.url(), Map.of());
             ServiceProcess second = ServiceProcess.start("instance-b", database.url(), Map.of())) {
            first.awaitHealthy();
            second.awaitHealthy();
            Workload workload = new Workload("two", List.of(first::uri, second::uri)).racing(0.1);
            List<String> accounts = workload.openAccounts(5, 50_000);
            try {
                workload.start(CLIENTS, accounts, OPERATIONS_PER_CLIENT);
                workload.awaitClients();
            } finally {
                figures.put("instances", 2).put("clients", CLIENTS).put("operations per client", OPERATIONS_PER_CLIENT);
                workload.recordTo(figures);
            }
            Map<Integer, Long> acknowledgedByInstance = workload.outcomes().stream()
                    .filter(o -> o.result() == Result.ACKNOWLEDGED && !o.operation().key().startsWith("two-fund-"))
                    .collect(Collectors.groupingBy((Outcome o) -> o.client() % 2, Collectors.counting()));
            figures.put("acknowledged by instance a / b", acknowledgedByInstance.get(0) + " / " + acknowledgedByInstance.get(1));

            LedgerChecks.verify(database.jdbi(), workload.outcomes(), figures);
            workload.assertEveryOperationAnswered();
            assertThat(acknowledgedByInstance).as("acknowledged writes per instance").containsOnlyKeys(0, 1);
        } finally {
            figures.write();
        }
    }
}
