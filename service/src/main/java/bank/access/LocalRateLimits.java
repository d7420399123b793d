package bank.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.UUID;

/**
 * A token bucket per client, in this instance's memory. With several instances behind a load balancer, a client may
 * send up to its limit to each: this is the store of {@code access.rateLimit.store: memory}, and what
 * {@link SharedRateLimits} falls back on while the database does not answer.
 *
 * <p>A bucket left alone for as long as it takes to refill is full, just like a new one, so buckets are forgotten
 * after that long without a request: memory holds only the clients that are active now. A client whose limit
 * changes gets a new, full bucket.
 */
final class LocalRateLimits implements RateLimiter {

    private record Entry(RatePolicy policy, Bucket bucket) {
    }

    private final Cache<UUID, Entry> buckets;

    /** @param longestRefill how long the largest bucket takes to refill, after which a bucket may be forgotten */
    LocalRateLimits(Duration longestRefill) {
        this.buckets = Caffeine.newBuilder().expireAfterAccess(longestRefill.plusSeconds(1)).build();
    }

    @Override
    public Decision tryAcquire(UUID client, RatePolicy policy) {
        Entry entry = buckets.asMap().compute(client, (id, current) ->
                current != null && current.policy().equals(policy) ? current : new Entry(policy, newBucket(policy)));
        ConsumptionProbe probe = entry.bucket().tryConsumeAndReturnRemaining(1);
        double left = probe.isConsumed() ? probe.getRemainingTokens()
                : 1 - probe.getNanosToWaitForRefill() * policy.perSecond() / 1e9;
        return new Decision(policy, probe.isConsumed(), Math.max(0, left));
    }

    private static Bucket newBucket(RatePolicy policy) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(policy.burst())
                        .refillGreedy(1, Duration.ofNanos(Math.max(1, (long) (1e9 / policy.perSecond())))))
                .build();
    }
}
