package bank.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The rate limit as `clients create --rate-limit` and `clients set-rate-limit` take it and `clients list` shows it. */
class RatePolicyTest {

    @Test
    void aRateIsRequestsPerSecondAndTheBurstDefaultsToTwoSecondsOfIt() {
        assertThat(RatePolicy.parse("50/s", null)).isEqualTo(new RatePolicy(50, 100));
        assertThat(RatePolicy.parse("0.2/s", null)).isEqualTo(new RatePolicy(0.2, 1));
        assertThat(RatePolicy.parse("0.5/s", 3)).isEqualTo(new RatePolicy(0.5, 3));
        assertThat(RatePolicy.parse("50/s", null)).hasToString("50/s, burst 100");
        assertThat(RatePolicy.parse("0.5/s", 3)).hasToString("0.5/s, burst 3");
    }

    @Test
    void anythingElseIsRefusedSayingHowToWriteIt() {
        for (String bad : new String[] {"50", "50/min", "-1/s", "fast", "1e3/s", ""}) {
            assertThatThrownBy(() -> RatePolicy.parse(bad, null)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("such as 50/s or 0.5/s");
        }
        assertThatThrownBy(() -> RatePolicy.parse("0/s", null)).hasMessageContaining("at least 0.001");
        assertThatThrownBy(() -> RatePolicy.parse("5/s", 0)).hasMessageContaining("burst of at least 1");
    }
}
