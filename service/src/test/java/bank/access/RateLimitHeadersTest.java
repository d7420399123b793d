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
}
