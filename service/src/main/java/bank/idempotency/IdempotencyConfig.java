package bank.idempotency;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import java.util.concurrent.TimeUnit;

public class IdempotencyConfig {

    /** How long a key and its response are kept; a retry after that is a new request. */
    @MinDuration(value = 1, unit = TimeUnit.HOURS)
    private Duration retention = Duration.hours(24);

    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration purgeInterval = Duration.minutes(10);

    @JsonProperty
    public Duration getRetention() {
        return retention;
    }

    @JsonProperty
    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    @JsonProperty
    public Duration getPurgeInterval() {
        return purgeInterval;
    }

    @JsonProperty
    public void setPurgeInterval(Duration purgeInterval) {
        this.purgeInterval = purgeInterval;
    }
}
