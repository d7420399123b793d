package bank.telemetry;

import bank.http.ApiException;
import bank.http.ProblemType;
import bank.money.Money;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.Currency;
import java.util.List;

/**
 * The bank's business metrics, through the OpenTelemetry API only: the Java agent supplies the SDK and exports
 * them with everything else; without the agent these calls do nothing.
 *
 * <p>Every attribute has a small fixed set of values (an outcome, a transaction type, an ISO 4217 code). Account
 * ids and amounts never become attributes: amounts are only recorded into histogram buckets.
 */
public final class BankMetrics {

    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    private static final AttributeKey<String> TYPE = AttributeKey.stringKey("type");
    private static final AttributeKey<String> CURRENCY = AttributeKey.stringKey("currency");
    private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

    /** Bucket bounds in minor units: 1.00, 10.00, 100.00, 1 000.00, 10 000.00, 100 000.00. */
    private static final List<Long> AMOUNT_BUCKETS = List.of(100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L);

    /** How a request to move money ended. */
    public enum Outcome {
        OK, INSUFFICIENT_FUNDS, REJECTED;

        /** The outcome of a request the ledger refused. */
        public static Outcome of(ApiException refusal) {
            return refusal.problem().type().equals(ProblemType.INSUFFICIENT_FUNDS.uri()) ? INSUFFICIENT_FUNDS : REJECTED;
        }

        String label() {
            return name().toLowerCase();
        }
    }

    /**
     * Why a request was refused before it reached its resource: no key, a key that is malformed, unknown or
     * revoked (one reason, so that the metric cannot tell them apart either), a key without the scope the operation
     * needs, or a client over its rate limit. Never which client: client ids are not bounded.
     */
    public enum AuthFailure {
        MISSING, INVALID, FORBIDDEN, RATE_LIMITED;

        String label() {
            return name().toLowerCase();
        }
    }

    private final LongCounter accountsOpened;
    private final LongCounter transactions;
    private final LongCounter transfers;
    private final LongHistogram transferAmount;
    private final LongCounter authFailures;

    public BankMetrics() {
        this(GlobalOpenTelemetry.getMeter("bank-api"));
    }

    public BankMetrics(Meter meter) {
        accountsOpened = meter.counterBuilder("bank.accounts.opened")
                .setDescription("Accounts opened.")
                .setUnit("{account}")
                .build();
        transactions = meter.counterBuilder("bank.transactions")
                .setDescription("Credits and debits requested on accounts, by type and outcome.")
                .setUnit("{transaction}")
                .build();
        transfers = meter.counterBuilder("bank.transfers")
                .setDescription("Transfers requested between accounts, by outcome.")
                .setUnit("{transfer}")
                .build();
        transferAmount = meter.histogramBuilder("bank.transfer.amount")
                .setDescription("Amounts of completed transfers, in minor units of their currency.")
                .setUnit("{minor_unit}")
                .ofLongs()
                .setExplicitBucketBoundariesAdvice(AMOUNT_BUCKETS)
                .build();
        authFailures = meter.counterBuilder("bank.auth.failures")
                .setDescription("API requests refused for their key, its scopes or its client's rate limit, by reason.")
                .setUnit("{request}")
                .build();
    }

    public void accountOpened(Currency currency) {
        accountsOpened.add(1, Attributes.of(CURRENCY, currency.getCurrencyCode()));
    }

    public void transaction(String type, Outcome outcome) {
        transactions.add(1, Attributes.of(TYPE, type.toLowerCase(), OUTCOME, outcome.label()));
    }

    public void transfer(Outcome outcome) {
        transfers.add(1, Attributes.of(OUTCOME, outcome.label()));
    }

    public void authFailure(AuthFailure reason) {
        authFailures.add(1, Attributes.of(REASON, reason.label()));
    }

    public void transferCompleted(Money amount, Currency currency) {
        transferAmount.record(amount.minorUnits(), Attributes.of(CURRENCY, currency.getCurrencyCode()));
        transfer(Outcome.OK);
    }
}
