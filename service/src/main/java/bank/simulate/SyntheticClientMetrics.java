package bank.simulate;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

/**
 * The traffic generator's view of the API, as a client sees it: every request it sent, by outcome. The server's
 * own metrics cannot show an API that is down, since a dead process records nothing; these keep counting, as
 * failures, and page within minutes (BankApiSyntheticRequestsFailing in prometheus/rules/bank-api.rules.yml).
 *
 * <p>The only attribute is the outcome, one of three values; never a path, an id or a status code.
 */
final class SyntheticClientMetrics {

    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    private static final Attributes ANSWERED = Attributes.of(OUTCOME, "ok");
    private static final Attributes SERVER_ERROR = Attributes.of(OUTCOME, "server_error");
    private static final Attributes NO_RESPONSE = Attributes.of(OUTCOME, "no_response");

    private final LongCounter requests;

    SyntheticClientMetrics() {
        this(GlobalOpenTelemetry.getMeter("bank-traffic"));
    }

    SyntheticClientMetrics(Meter meter) {
        requests = meter.counterBuilder("bank.synthetic.requests")
                .setDescription("Requests the traffic generator sent to the API, by outcome: ok (any answer below 500,"
                        + " the generator's deliberate mistakes included), server_error (5xx) or no_response (refused"
                        + " connection, timeout).")
                .setUnit("{request}")
                .build();
        // Every outcome's series exists from the start, at 0, so that a rate over it is 0 rather than nothing.
        for (Attributes outcome : new Attributes[] {ANSWERED, SERVER_ERROR, NO_RESPONSE}) {
            requests.add(0, outcome);
        }
    }

    /** A response arrived with this status. */
    void answered(int status) {
        requests.add(1, status >= 500 ? SERVER_ERROR : ANSWERED);
    }

    /** No response: the connection was refused or reset, or the request timed out. */
    void noResponse() {
        requests.add(1, NO_RESPONSE);
    }
}
