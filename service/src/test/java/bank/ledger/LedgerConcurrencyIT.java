package bank.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import bank.access.Scope;
import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import io.dropwizard.testing.ConfigOverride;
import bank.testing.TestTelemetry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Jepsen "bank" check over the real HTTP API: many workers of two API clients move money at once between a
 * handful of accounts, with deliberately contended pairs (everyone hammers accounts 0 and 1, which belong to the two
 * clients) and reversed pairs (A→B while B→A). Each worker acts as its client: it credits and debits that client's
 * accounts and transfers from them, to accounts of either client. Afterwards no money has appeared or vanished, no
 * balance is negative, every line's running balance is consistent with the lines before it, and the ledger audit
 * finds no violation of any invariant: every balance is exactly the sum of its ledger lines, every transfer has its
 * debit and its credit, and transfers net to zero.
 */
class LedgerConcurrencyIT {

    private static final int ACCOUNTS = 5;
    private static final int WORKERS = 10;
    private static final int OPERATIONS_PER_WORKER = 150;
    private static final long OPENING_BALANCE = 50_000;

    /** This test is about money, not about the rate limit: the two clients may send as fast as they can. */
    @RegisterExtension
    static final BankApi api = new BankApi(ConfigOverride.config("access.rateLimit.perSecond", "100000"),
            ConfigOverride.config("access.rateLimit.burst", "100000"));

    @Test
    void moneyIsConservedUnderConcurrentTransfersCreditsAndDebitsOfTwoClients() throws Exception {
        List<BankApi> clients = List.of(api, api.as(api.newClient("second", Scope.ACCOUNTS_READ, Scope.ACCOUNTS_WRITE,
                Scope.TRANSACTIONS_WRITE, Scope.TRANSFERS_WRITE)));
        // Account i belongs to client i % 2, so the hot pair (0, 1) spans both clients.
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            BankApi owner = clients.get(i % 2);
            String account = owner.openAccount("USD");
            owner.credit(account, OPENING_BALANCE);
            accounts.add(account);
        }
        AtomicLong creditedFromOutside = new AtomicLong();
        AtomicLong debitedToOutside = new AtomicLong();
        Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();

        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int client = w % 2;
            workers.add(pool.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int op = 0; op < OPERATIONS_PER_WORKER; op++) {
                    Reply reply = randomOperation(clients.get(client), client, random, accounts, creditedFromOutside,
                            debitedToOutside);
                    statuses.computeIfAbsent(reply.status(), s -> new AtomicLong()).incrementAndGet();
                    if (reply.status() == 422) {
                        assertThat(reply.text("type")).isEqualTo("/problems/insufficient-funds");
                    } else {
                        assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        try {
            for (Future<?> worker : workers) {
                worker.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        long total = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
            long balance = clients.get(i % 2).balance(accounts.get(i));
            assertThat(balance).isNotNegative();
            total += balance;
        }
        assertThat(total).isEqualTo(ACCOUNTS * OPENING_BALANCE + creditedFromOutside.get() - debitedToOutside.get());
        assertThat(statuses.get(201).get()).isGreaterThan(WORKERS * OPERATIONS_PER_WORKER / 2);
        assertRunningBalancesAreConsistent();
        assertTheLedgerAuditFindsNothing();
    }

    /** An operation of the client numbered {@code client}, on its own accounts: those whose index has its parity. */
    private static Reply randomOperation(BankApi caller, int client, ThreadLocalRandom random, List<String> accounts,
                                         AtomicLong creditedFromOutside, AtomicLong debitedToOutside) {
        long amount = 1 + random.nextLong(5_000);
        int roll = random.nextInt(100);
        int owned = client + 2 * random.nextInt((ACCOUNTS - client + 1) / 2);
        if (roll < 60) {
            // Transfers: 40% of them between the two hot accounts, each client paying the other's.
            boolean hot = random.nextInt(100) < 40;
            int from = hot ? client : owned;
            int to = hot ? 1 - client : (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            Map<String, Object> transfer = new HashMap<>();
            transfer.put("fromAccountId", accounts.get(from));
            transfer.put("toAccountId", accounts.get(to));
            transfer.put("amount", amount);
            return untilAnswered(caller, "/v1/transfers", transfer);
        }
        String account = accounts.get(owned);
        String type = roll < 80 ? "CREDIT" : "DEBIT";
        Reply reply = untilAnswered(caller, "/v1/accounts/" + account + "/transactions", Map.of("type", type, "amount", amount));
        if (reply.status() == 201) {
            (type.equals("CREDIT") ? creditedFromOutside : debitedToOutside).addAndGet(amount);
        }
        return reply;
    }

    /**
     * POSTs with an Idempotency-Key of its own and, as a careful client does, sends it again with the same key while
     * the answer is a 503 (a lock or pool wait ran out on a loaded machine: outcome unknown) or a 409 (the first
     * attempt is still running). The answer that comes in the end is the request's one effect, or its refusal.
     */
    private static Reply untilAnswered(BankApi caller, String path, Map<String, Object> body) {
        String key = UUID.randomUUID().toString();
        for (int attempt = 1; ; attempt++) {
            Reply reply = caller.post(path, body, "Idempotency-Key", key);
            if ((reply.status() != 503 && reply.status() != 409) || attempt == 10) {
                return reply;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100L * attempt)); // a client's backoff
        }
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
