package bank.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.TestTelemetry;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SyntheticClientMetricsTest {

    private static final String METRIC = "bank.synthetic.requests";

    private final TestTelemetry telemetry = new TestTelemetry();
    private final SyntheticClientMetrics metrics =
            new SyntheticClientMetrics(telemetry.openTelemetry().getMeter("bank-traffic"));

    @Test
    void everyOutcomeIsCountedFromZeroBeforeTheFirstRequest() {
        assertThat(telemetry.value(METRIC, "outcome", "ok")).isEqualTo(OptionalLong.of(0));
        assertThat(telemetry.value(METRIC, "outcome", "server_error")).isEqualTo(OptionalLong.of(0));
        assertThat(telemetry.value(METRIC, "outcome", "no_response")).isEqualTo(OptionalLong.of(0));
    }

    /** The generator's deliberate mistakes come back as 4xx: the API answered them as it should. */
    @Test
    void anAnswerBelow500IsOkA5xxIsAServerErrorAndNoAnswerIsNoResponse() {
        metrics.answered(201);
        metrics.answered(422);
        metrics.answered(429);
        metrics.answered(503);
        metrics.noResponse();
        metrics.noResponse();

        assertThat(telemetry.value(METRIC, "outcome", "ok")).isEqualTo(OptionalLong.of(3));
        assertThat(telemetry.value(METRIC, "outcome", "server_error")).isEqualTo(OptionalLong.of(1));
        assertThat(telemetry.value(METRIC, "outcome", "no_response")).isEqualTo(OptionalLong.of(2));
    }
}
