package bank.access;

import java.util.UUID;

/** Takes a token from a client's bucket, wherever the buckets are kept. */
interface RateLimiter {

    /**
     * What one request took from its client's bucket.
     *
     * @param granted    whether there was a token for it
     * @param tokensLeft what the bucket holds now (fractions of a token refill continuously)
     */
    record Decision(RatePolicy policy, boolean granted, double tokensLeft) {

        /** Until the next request can pass: zero while one can. */
        long nanosUntilNextToken() {
            return tokensLeft >= 1 ? 0 : nanos((1 - tokensLeft) / policy.perSecond());
        }

        /** Until the bucket is full again. */
        long nanosUntilFull() {
            return nanos(Math.max(0, policy.burst() - tokensLeft) / policy.perSecond());
        }

        private static long nanos(double seconds) {
            return (long) Math.ceil(seconds * 1e9);
        }
    }

    Decision tryAcquire(UUID client, RatePolicy policy);
}
