package bank.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import bank.testing.TestTelemetry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Jepsen "bank" check over the real HTTP API: many clients move money at once between a handful of
 * accounts, with deliberately contended pairs (everyone hammers accounts 0 and 1) and reversed pairs (A→B while
 * B→A). Afterwards no money has appeared or vanished, no balance is negative, every line's running balance is
 * consistent with the lines before it, and the ledger audit finds no violation of any invariant: every balance is
 * exactly the sum of its ledger lines, every transfer has its debit and its credit, and transfers net to zero.
 */
class LedgerConcurrencyIT {

    private static final int ACCOUNTS = 5;
    private static final int CLIENTS = 10;
    private static final int OPERATIONS_PER_CLIENT = 150;
    private static final long OPENING_BALANCE = 50_000;

    @RegisterExtension
    static final BankApi api = new BankApi();

    @Test
    void moneyIsConservedUnderConcurrentTransfersCreditsAndDebits() throws Exception {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            String account = api.openAccount("USD");
            api.credit(account, OPENING_BALANCE);
            accounts.add(account);
        }
        AtomicLong creditedFromOutside = new AtomicLong();
        AtomicLong debitedToOutside = new AtomicLong();
        Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();

        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int op = 0; op < OPERATIONS_PER_CLIENT; op++) {
                    Reply reply = randomOperation(random, accounts, creditedFromOutside, debitedToOutside);
                    statuses.computeIfAbsent(reply.status(), s -> new AtomicLong()).incrementAndGet();
                    if (reply.status() == 422) {
                        assertThat(reply.text("type")).isEqualTo("urn:problem:insufficient-funds");
                    } else {
                        assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        try {
            for (Future<?> client : clients) {
                client.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        long total = 0;
        for (String account : accounts) {
            long balance = api.balance(account);
            assertThat(balance).isNotNegative();
            total += balance;
        }
        assertThat(total).isEqualTo(ACCOUNTS * OPENING_BALANCE + creditedFromOutside.get() - debitedToOutside.get());
        assertThat(statuses.get(201).get()).isGreaterThan(CLIENTS * OPERATIONS_PER_CLIENT / 2);
        assertRunningBalancesAreConsistent();
        assertTheLedgerAuditFindsNothing();
    }

    private static Reply randomOperation(ThreadLocalRandom random, List<String> accounts,
                                         AtomicLong creditedFromOutside, AtomicLong debitedToOutside) {
        long amount = 1 + random.nextLong(5_000);
        int roll = random.nextInt(100);
        if (roll < 60) {
            // Transfers: 40% of them between the two hot accounts, in either direction.
            boolean hot = random.nextInt(100) < 40;
            int from = hot ? random.nextInt(2) : random.nextInt(ACCOUNTS);
            int to = hot ? 1 - from : (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            Map<String, Object> transfer = new HashMap<>();
            transfer.put("fromAccountId", accounts.get(from));
            transfer.put("toAccountId", accounts.get(to));
            transfer.put("amount", amount);
            return api.postKeyed("/v1/transfers", transfer);
        }
        String account = accounts.get(random.nextInt(ACCOUNTS));
        String type = roll < 80 ? "CREDIT" : "DEBIT";
        Reply reply = api.postKeyed("/v1/accounts/" + account + "/transactions", Map.of("type", type, "amount", amount));
        if (reply.status() == 201) {
            (type.equals("CREDIT") ? creditedFromOutside : debitedToOutside).addAndGet(amount);
        }
        return reply;
    }

    private static void assertRunningBalancesAreConsistent() throws Exception {
        try (Connection connection = api.database().connect(); Statement statement = connection.createStatement()) {
            try (ResultSet broken = statement.executeQuery("""
                    SELECT id FROM (
                      SELECT id, balance_after, sum(CASE type WHEN 'CREDIT' THEN amount ELSE -amount END)
                             OVER (PARTITION BY account_id ORDER BY id) AS running
                      FROM transactions) lines
                    WHERE running <> balance_after OR balance_after < 0
                    """)) {
                assertThat(broken.next()).as("a ledger line whose running balance is wrong").isFalse();
            }
        }
    }

    /** Balances against their history, transfers against their two lines, and totals per currency. */
    private static void assertTheLedgerAuditFindsNothing() {
        TestTelemetry telemetry = new TestTelemetry();
        LedgerAudit audit = new LedgerAudit(api.database().jdbi(), new LedgerAuditConfig(), null, telemetry.openTelemetry());

        assertThat(audit.run()).isEqualTo(LedgerAudit.Outcome.OK);
        for (LedgerAudit.Check check : LedgerAudit.Check.values()) {
            assertThat(telemetry.value("bank.ledger.audit.violations", "check", check.label())).as(check.label())
                    .hasValue(0);
        }
    }
}
