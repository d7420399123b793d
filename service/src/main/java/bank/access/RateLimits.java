package bank.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * A token bucket per client, in this instance's memory: {@code burst} requests at once, refilled continuously at
 * {@code perSecond}. With several instances behind a load balancer, a client may send up to the limit to each.
 *
 * <p>A bucket left alone for as long as it takes to refill is full, just like a new one, so buckets are forgotten
 * after that long without a request: memory holds only the clients that are active now.
 */
final class RateLimits {

    private final int burst;
    private final double perSecond;
    private final Duration refillOne;
    private final Cache<UUID, Bucket> buckets;

    RateLimits(AccessConfig.RateLimit config) {
        this.burst = config.getBurst();
        this.perSecond = config.getPerSecond();
        this.refillOne = Duration.ofNanos(Math.max(1, (long) (1e9 / perSecond)));
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(refillOne.multipliedBy(burst).plusSeconds(1))
                .build();
    }

    /** Takes a token from the client's bucket: empty if there was one, the fields of a 429 if there was none. */
    Optional<RateLimitHeaders> tryAcquire(UUID client) {
        ConsumptionProbe probe = buckets.get(client, id -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Optional.empty();
        }
        return Optional.of(RateLimitHeaders.refused(burst, perSecond, probe.getNanosToWaitForRefill()));
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(1, refillOne))
                .build();
    }
}
