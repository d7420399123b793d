package bank.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import bank.ledger.LedgerAudit.Check;
import bank.ledger.LedgerAudit.Outcome;
import bank.testing.BankApi;
import bank.testing.TestTelemetry;
import io.dropwizard.util.Duration;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ledger audit against a ledger the service wrote over HTTP, then damaged behind its back with plain SQL, as
 * a bug, a manual fix or a bad migration would. What the audit reports is read through a real OpenTelemetry SDK.
 */
class LedgerAuditIT {

    private static final String VIOLATIONS = "bank.ledger.audit.violations";
    private static final String RUNS = "bank.ledger.audit.runs";

    @RegisterExtension
    static final BankApi api = new BankApi();

    private TestTelemetry telemetry;
    private String from;
    private String to;
    private String transferId;

    /** Two accounts and one transfer between them: a small ledger with every kind of line. */
    @BeforeEach
    void aHealthyLedger() {
        telemetry = new TestTelemetry();
        from = api.openAccount("USD");
        to = api.openAccount("USD");
        api.post("/v1/accounts/" + from + "/transactions", Map.of("type", "CREDIT", "amount", 1_000),
                "Idempotency-Key", "audit-credit-" + from).expect(201);
        transferId = api.post("/v1/transfers", Map.of("fromAccountId", from, "toAccountId", to, "amount", 300),
                "Idempotency-Key", "audit-transfer-" + from).expect(201).text("id");
    }

    @Test
    void aHealthyLedgerHasNoViolationsAndTheRunIsItsOwnTrace() {
        LedgerAudit audit = audit(Duration.seconds(10));

        assertThat(audit.run()).isEqualTo(Outcome.OK);

        assertViolations(0, 0, 0);
        assertThat(runs("ok")).isEqualTo(1);
        assertThat(runs("violations")).isZero();
        assertThat(runs("failed")).isZero();
        assertThat(telemetry.spans("ledger.audit")).singleElement().satisfies(span -> {
            assertThat(span.getParentSpanContext().isValid()).as("a root span").isFalse();
            assertThat(span.getAttributes().get(AttributeKey.stringKey("bank.ledger.audit.outcome"))).isEqualTo("ok");
        });
    }

    @Test
    void aBalanceChangedBehindTheServicesBackIsExactlyOneBalanceViolation() {
        LedgerAudit audit = audit(Duration.seconds(10));
        api.database().execute("UPDATE accounts SET balance = balance + 1 WHERE id = ?::uuid", to);

        assertThat(audit.run()).isEqualTo(Outcome.VIOLATIONS);

        assertViolations(1, 0, 0);
        assertThat(runs("violations")).isEqualTo(1);
        assertThat(runs("ok")).isZero();
    }

    @Test
    void aTransferWhoseCreditLineWasDetachedBreaksItsPairAndTheCurrencyTotal() {
        LedgerAudit audit = audit(Duration.seconds(10));
        // The credit becomes a plain credit: every balance still matches its history, but the transfer has one
        // line, and in USD transfers now took out 300 more than they put in.
        api.database().execute("UPDATE transactions SET transfer_id = NULL WHERE transfer_id = ?::uuid AND type = 'CREDIT'",
                transferId);

        assertThat(audit.run()).isEqualTo(Outcome.VIOLATIONS);

        assertViolations(0, 1, 1);
    }

    @Test
    void aTransferLineOfTheWrongAmountBreaksTheBalanceThePairAndTheCurrencyTotal() {
        LedgerAudit audit = audit(Duration.seconds(10));
        api.database().execute("UPDATE transactions SET amount = amount + 5 WHERE transfer_id = ?::uuid AND type = 'DEBIT'",
                transferId);

        assertThat(audit.run()).isEqualTo(Outcome.VIOLATIONS);

        assertViolations(1, 1, 1);
    }

    @Test
    void anAuditThatTimesOutCountsAsFailedAndKeepsTheLastFindings() throws Exception {
        LedgerAudit audit = audit(Duration.milliseconds(300));
        api.database().execute("UPDATE accounts SET balance = balance + 1 WHERE id = ?::uuid", to);
        assertThat(audit.run()).isEqualTo(Outcome.VIOLATIONS);

        try (Connection migration = api.database().connect(); Statement statement = migration.createStatement()) {
            // A long migration holding the table: the audit's read waits for the lock until its statement timeout.
            migration.setAutoCommit(false);
            statement.execute("LOCK TABLE transactions IN ACCESS EXCLUSIVE MODE");

            assertThat(audit.run()).isEqualTo(Outcome.FAILED);

            migration.rollback();
        }
        assertThat(runs("failed")).isEqualTo(1);
        assertViolations(1, 0, 0);
        assertThat(telemetry.spans("ledger.audit")).last().satisfies(span ->
                assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR));
    }

    @Test
    void theAuditCannotWrite() {
        // Its transaction is READ ONLY: even a query of the DAO that tried to change a row would be refused.
        String settings = api.database().jdbi().inTransaction(tx -> {
            tx.attach(LedgerAuditDao.class).readOnlySnapshot();
            return tx.createQuery("SELECT current_setting('transaction_read_only') || ' '"
                    + " || current_setting('transaction_isolation')").mapTo(String.class).one();
        });
        assertThat(settings).isEqualTo("on repeatable read");
    }

    @Test
    void startedItRunsOnItsSchedule() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            LedgerAuditConfig config = new LedgerAuditConfig();
            config.setInterval(Duration.milliseconds(100));
            new LedgerAudit(api.database().jdbi(), config, scheduler, telemetry.openTelemetry()).start();

            await().atMost(java.time.Duration.ofSeconds(30)).until(() -> runs("ok") >= 2);
            api.database().execute("UPDATE accounts SET balance = balance + 1 WHERE id = ?::uuid", from);
            await().atMost(java.time.Duration.ofSeconds(30)).until(() -> violations(Check.BALANCE).orElse(0) == 1);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private LedgerAudit audit(Duration statementTimeout) {
        LedgerAuditConfig config = new LedgerAuditConfig();
        config.setStatementTimeout(statementTimeout);
        return new LedgerAudit(api.database().jdbi(), config, null, telemetry.openTelemetry());
    }

    private void assertViolations(long balance, long transferLines, long transferNet) {
        assertThat(Map.of("balance", violations(Check.BALANCE), "transfer_lines", violations(Check.TRANSFER_LINES),
                "transfer_net", violations(Check.TRANSFER_NET)))
                .isEqualTo(Map.of("balance", OptionalLong.of(balance), "transfer_lines", OptionalLong.of(transferLines),
                        "transfer_net", OptionalLong.of(transferNet)));
    }

    private OptionalLong violations(Check check) {
        return telemetry.value(VIOLATIONS, "check", check.label());
    }

    private long runs(String outcome) {
        return telemetry.value(RUNS, "outcome", outcome).orElseThrow();
    }
}
