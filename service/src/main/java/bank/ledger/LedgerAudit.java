package bank.ledger;

import io.dropwizard.lifecycle.Managed;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger checks its own invariants in the background and reports what it finds as metrics, so a broken
 * invariant pages someone instead of waiting for a customer to notice.
 *
 * <p>Each run reads one consistent snapshot (REPEATABLE READ, READ ONLY, its own statement timeout) and counts
 * the violations of every {@link Check}. It exports them as the gauge {@code bank.ledger.audit.violations}
 * (attribute {@code check}) and counts runs in {@code bank.ledger.audit.runs} (attribute {@code outcome}:
 * {@code ok}, {@code violations} or {@code failed}), so an audit that times out or stops running is as visible
 * as one that finds something. After a failed run the gauge keeps the last values the audit could establish.
 * Each run is its own trace ("ledger.audit"). Nothing identifying an account is logged or exported: only the
 * name of a check and a count; the runbook gives the SQL that finds the rows.
 */
public class LedgerAudit implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerAudit.class);
    private static final AttributeKey<String> CHECK = AttributeKey.stringKey("check");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

    /** The invariants; each one's label is the value of the {@code check} attribute. */
    public enum Check {
        /** Every account's balance equals its credits minus its debits. */
        BALANCE("balance", LedgerAuditDao::balancesNotMatchingHistory),
        /** Every transfer has exactly its debit on the from-account and its credit on the to-account. */
        TRANSFER_LINES("transfer_lines", LedgerAuditDao::transfersWithoutTheirTwoLines),
        /** Per currency, what transfers moved nets to zero. */
        TRANSFER_NET("transfer_net", LedgerAuditDao::currenciesWhereTransfersDoNotNetToZero);

        private final String label;
        private final ToLongFunction<LedgerAuditDao> query;

        Check(String label, ToLongFunction<LedgerAuditDao> query) {
            this.label = label;
            this.query = query;
        }

        public String label() {
            return label;
        }
    }

    /** How a run ended. */
    public enum Outcome {
        OK, VIOLATIONS, FAILED;

        String label() {
            return name().toLowerCase();
        }
    }

    private final Jdbi jdbi;
    private final ScheduledExecutorService scheduler;
    private final long intervalMillis;
    private final String statementTimeout;
    private final Tracer tracer;
    private final LongCounter runs;
    private volatile Map<Check, Long> lastViolations = Map.of();

    public LedgerAudit(Jdbi jdbi, LedgerAuditConfig config, ScheduledExecutorService scheduler, OpenTelemetry telemetry) {
        this.jdbi = jdbi;
        this.scheduler = scheduler;
        this.intervalMillis = config.getInterval().toMilliseconds();
        this.statementTimeout = config.getStatementTimeout().toMilliseconds() + "ms";
        this.tracer = telemetry.getTracer("bank-api");
        Meter meter = telemetry.getMeter("bank-api");
        runs = meter.counterBuilder("bank.ledger.audit.runs")
                .setDescription("Runs of the ledger audit, by outcome: ok, violations (it found some) or failed"
                        + " (it could not complete, e.g. a statement timeout).")
                .setUnit("{run}")
                .build();
        // Every outcome exists from the start at 0, so "no successful run lately" is a query over a series that exists.
        for (Outcome outcome : Outcome.values()) {
            runs.add(0, Attributes.of(OUTCOME, outcome.label()));
        }
        meter.gaugeBuilder("bank.ledger.audit.violations")
                .setDescription("Violations of each ledger invariant found by the last audit that completed.")
                .setUnit("{violation}")
                .ofLongs()
                .buildWithCallback(gauge -> lastViolations.forEach(
                        (check, count) -> gauge.record(count, Attributes.of(CHECK, check.label()))));
    }

    @Override
    public void start() {
        scheduler.scheduleWithFixedDelay(this::run, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs the audit once and reports it; never throws, so the schedule survives a failed run. */
    public Outcome run() {
        Span span = tracer.spanBuilder("ledger.audit").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            Map<Check, Long> violations = check();
            lastViolations = violations;
            long total = violations.values().stream().mapToLong(Long::longValue).sum();
            violations.forEach((check, count) -> {
                if (count > 0) {
                    LOG.error("ledger audit found violations check={} count={}", check.label(), count);
                }
            });
            span.setAttribute("bank.ledger.audit.violations", total);
            return finished(span, total == 0 ? Outcome.OK : Outcome.VIOLATIONS);
        } catch (RuntimeException e) {
            // The next run comes at the next interval; the scheduler must not die with this one.
            LOG.warn("ledger audit failed: {}", e.toString());
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            return finished(span, Outcome.FAILED);
        } finally {
            span.end();
        }
    }

    /** Counts the violations of every check in one read-only snapshot of the ledger. */
    public Map<Check, Long> check() {
        return jdbi.inTransaction(tx -> {
            LedgerAuditDao dao = tx.attach(LedgerAuditDao.class);
            dao.readOnlySnapshot();
            dao.limitStatementsTo(statementTimeout);
            Map<Check, Long> violations = new EnumMap<>(Check.class);
            for (Check check : Check.values()) {
                violations.put(check, check.query.applyAsLong(dao));
            }
            return Collections.unmodifiableMap(violations);
        });
    }

    private Outcome finished(Span span, Outcome outcome) {
        span.setAttribute("bank.ledger.audit.outcome", outcome.label());
        runs.add(1, Attributes.of(OUTCOME, outcome.label()));
        return outcome;
    }
}
