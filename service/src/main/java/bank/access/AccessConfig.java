package bank.access;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** The {@code access} block of config.yml; docs/configuration.md says what each setting is for. */
public class AccessConfig {

    /** Empty: no bootstrap client. See {@link BootstrapKey}. */
    private String bootstrapKey = "";

    /** DEPLOYMENT_ENVIRONMENT as set, empty when unset: decides whether the published local key is honoured. */
    private String deploymentEnvironment = "";

    /** How long a key's client is remembered; a revoked key keeps working on an instance for at most this long. */
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
    private Duration keyCacheTtl = Duration.seconds(10);

    @Min(1)
    private int keyCacheSize = 10_000;

    @Valid
    @NotNull
    private RateLimit rateLimit = new RateLimit();

    /** Where the token buckets are kept: in PostgreSQL, shared by every instance, or in each instance's memory. */
    public enum Store {
        DATABASE, MEMORY;

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Store of(String name) {
            return valueOf(name.strip().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * The default token bucket of a client without a limit of its own: {@code burst} requests at once, refilled at
     * {@code perSecond}; and where buckets are kept.
     */
    public static class RateLimit {
        @DecimalMin("0.001")
        private double perSecond = 100;

        @Min(1)
        private int burst = 200;

        @NotNull
        private Store store = Store.DATABASE;

        /** How long a request waits for the shared bucket before it is counted in this instance's instead. */
        @NotNull
        @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
        @MaxDuration(value = 5, unit = TimeUnit.SECONDS)
        private Duration databaseTimeout = Duration.milliseconds(250);

        RatePolicy defaultPolicy() {
            return new RatePolicy(perSecond, burst);
        }

        @JsonProperty
        public Store getStore() {
            return store;
        }

        @JsonProperty
        public void setStore(Store store) {
            this.store = store;
        }

        @JsonProperty
        public Duration getDatabaseTimeout() {
            return databaseTimeout;
        }

        @JsonProperty
        public void setDatabaseTimeout(Duration databaseTimeout) {
            this.databaseTimeout = databaseTimeout;
        }

        @JsonProperty
        public double getPerSecond() {
            return perSecond;
        }

        @JsonProperty
        public void setPerSecond(double perSecond) {
            this.perSecond = perSecond;
        }

        @JsonProperty
        public int getBurst() {
            return burst;
        }

        @JsonProperty
        public void setBurst(int burst) {
            this.burst = burst;
        }
    }

    @JsonProperty
    public String getBootstrapKey() {
        return bootstrapKey;
    }

    @JsonProperty
    public void setBootstrapKey(String bootstrapKey) {
        this.bootstrapKey = bootstrapKey;
    }

    @JsonProperty
    public String getDeploymentEnvironment() {
        return deploymentEnvironment;
    }

    @JsonProperty
    public void setDeploymentEnvironment(String deploymentEnvironment) {
        this.deploymentEnvironment = deploymentEnvironment;
    }

    @JsonProperty
    public Duration getKeyCacheTtl() {
        return keyCacheTtl;
    }

    @JsonProperty
    public void setKeyCacheTtl(Duration keyCacheTtl) {
        this.keyCacheTtl = keyCacheTtl;
    }

    @JsonProperty
    public int getKeyCacheSize() {
        return keyCacheSize;
    }

    @JsonProperty
    public void setKeyCacheSize(int keyCacheSize) {
        this.keyCacheSize = keyCacheSize;
    }

    @JsonProperty
    public RateLimit getRateLimit() {
        return rateLimit;
    }

    @JsonProperty
    public void setRateLimit(RateLimit rateLimit) {
        this.rateLimit = rateLimit;
    }
}
