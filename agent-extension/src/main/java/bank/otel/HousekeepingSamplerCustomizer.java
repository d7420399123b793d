package bank.otel;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import java.util.List;

/**
 * Wraps whatever sampler {@code OTEL_TRACES_SAMPLER} selects in a {@link HousekeepingSampler}. The paths it
 * drops come from {@code OTEL_BANK_HOUSEKEEPING_PATHS} (comma-separated; default {@code /healthcheck,/ping,/}).
 * {@code /} is there for compose's container health check, which asks the API port for it every 10 s only to see
 * that it answers; no API route lives there, so the only traces it would drop are those 404s.
 */
public final class HousekeepingSamplerCustomizer implements AutoConfigurationCustomizerProvider {

    static final String PATHS_PROPERTY = "otel.bank.housekeeping.paths";
    static final List<String> DEFAULT_PATHS = List.of("/healthcheck", "/ping", "/");

    @Override
    public void customize(AutoConfigurationCustomizer customizer) {
        customizer.addSamplerCustomizer((sampler, config) ->
                new HousekeepingSampler(sampler, config.getList(PATHS_PROPERTY, DEFAULT_PATHS)));
    }
}
