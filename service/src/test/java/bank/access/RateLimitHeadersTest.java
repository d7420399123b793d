package bank.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fields of a 429, in the syntax of draft-ietf-httpapi-ratelimit-headers-11 (Structured Field lists). */
class RateLimitHeadersTest {

    @Test
    void aRefusalNamesThePolicyNothingLeftAndWhenTheNextRequestCanPass() {
        RateLimitHeaders headers = RateLimitHeaders.refused(200, 100, TimeUnit.MILLISECONDS.toNanos(10));

        assertThat(headers.policy()).isEqualTo("\"per-client\";q=200;w=2");
        assertThat(headers.limit()).isEqualTo("\"per-client\";r=0;t=1");
        assertThat(headers.retryAfter()).isEqualTo("1");
    }

    @Test
    void secondsAreWholeAndRoundedUpSoThatWaitingThatLongIsEnough() {
        assertThat(RateLimitHeaders.wholeSecondsAtLeastOne(0)).isEqualTo(1);
        assertThat(RateLimitHeaders.wholeSecondsAtLeastOne(1)).isEqualTo(1);
        assertThat(RateLimitHeaders.wholeSecondsAtLeastOne(TimeUnit.SECONDS.toNanos(1))).isEqualTo(1);
        assertThat(RateLimitHeaders.wholeSecondsAtLeastOne(TimeUnit.SECONDS.toNanos(1) + 1)).isEqualTo(2);
        RateLimitHeaders slow = RateLimitHeaders.refused(10, 0.25, TimeUnit.MILLISECONDS.toNanos(3_500));
        assertThat(slow.retryAfter()).isEqualTo("4");
        assertThat(slow.limit()).isEqualTo("\"per-client\";r=0;t=4");
        // The Retry-After moment is never earlier than the end of the effective window, as the draft asks.
        assertThat(slow.limit()).endsWith("t=" + slow.retryAfter());
    }

    @Test
    void theWindowIsTheTimeAnEmptyBucketTakesToRefillInWholeSeconds() {
        assertThat(RateLimitHeaders.policy(5, 1)).isEqualTo("\"per-client\";q=5;w=5");
        assertThat(RateLimitHeaders.policy(10, 0.25)).isEqualTo("\"per-client\";q=10;w=40");
        assertThat(RateLimitHeaders.policy(150, 100)).isEqualTo("\"per-client\";q=150;w=2");
        assertThat(RateLimitHeaders.policy(1, 1_000)).isEqualTo("\"per-client\";q=1;w=1");
    }

    @Test
    void aRequestThatPassedSaysWhatIsLeftAndWhenTheBucketIsFullAgain() {
        RatePolicy policy = new RatePolicy(100, 200);

        RateLimitHeaders passed = RateLimitHeaders.of(new RateLimiter.Decision(policy, true, 186.6));
        RateLimitHeaders slow = RateLimitHeaders.of(new RateLimiter.Decision(new RatePolicy(0.5, 3), true, 0.25));

        assertThat(passed.policy()).isEqualTo("\"per-client\";q=200;w=2");
        assertThat(passed.limit()).isEqualTo("\"per-client\";r=186;t=1");
        assertThat(passed.retryAfter()).isNull();
        assertThat(slow.limit()).as("2.75 tokens to refill at 0.5 a second").isEqualTo("\"per-client\";r=0;t=6");
    }

    @Test
    void aRefusedRequestGetsTheFieldsOfA429() {
        RateLimitHeaders refused = RateLimitHeaders.of(new RateLimiter.Decision(new RatePolicy(0.5, 3), false, 0.25));

        assertThat(refused.limit()).as("0.75 of a token to refill at 0.5 a second").isEqualTo("\"per-client\";r=0;t=2");
        assertThat(refused.retryAfter()).isEqualTo("2");
    }
}
