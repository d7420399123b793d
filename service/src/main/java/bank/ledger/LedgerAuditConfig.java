package bank.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import java.util.concurrent.TimeUnit;

public class LedgerAuditConfig {

    /** Time between the end of one audit and the start of the next; the first runs one interval after start. */
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration interval = Duration.seconds(60);

    /**
     * Limit of each of the audit's statements. An audit that needs longer fails (and is counted as failed)
     * instead of holding a snapshot and a connection open.
     */
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration statementTimeout = Duration.seconds(10);

    @JsonProperty
    public Duration getInterval() {
        return interval;
    }

    @JsonProperty
    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    @JsonProperty
    public Duration getStatementTimeout() {
        return statementTimeout;
    }

    @JsonProperty
    public void setStatementTimeout(Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }
}
