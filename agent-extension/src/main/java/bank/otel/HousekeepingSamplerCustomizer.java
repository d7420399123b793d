package bank.otel;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import java.util.List;

/**
 * Wraps whatever sampler {@code OTEL_TRACES_SAMPLER} selects in a {@link HousekeepingSampler}. The paths it
 * drops come from {@code OTEL_BANK_HOUSEKEEPING_PATHS} (comma-separated; default {@code /healthcheck,/ping}).
 */
public final class HousekeepingSamplerCustomizer implements AutoConfigurationCustomizerProvider {

    static final String PATHS_PROPERTY = "otel.bank.housekeeping.paths";
    static final List<String> DEFAULT_PATHS = List.of("/healthcheck", "/ping");

    @Override
    public void customize(AutoConfigurationCustomizer customizer) {
        customizer.addSamplerCustomizer((sampler, config) ->
                new HousekeepingSampler(sampler, config.getList(PATHS_PROPERTY, DEFAULT_PATHS)));
    }
}
