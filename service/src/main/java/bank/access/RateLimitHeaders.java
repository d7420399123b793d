package bank.access;

import java.util.concurrent.TimeUnit;

/**
 * The rate-limit fields of a response that counted against its client's bucket, per
 * draft-ietf-httpapi-ratelimit-headers-11 (Structured Field lists of one item each), and RFC 9110's Retry-After on a
 * refusal. A request that passed:
 * <pre>
 * RateLimit-Policy: "per-client";q=200;w=2
 * RateLimit: "per-client";r=199;t=1
 * </pre>
 * where {@code r} is what is left and {@code t} the seconds until the bucket is full again (rounded up; 0 when it
 * is full). A refused one:
 * <pre>
 * RateLimit-Policy: "per-client";q=200;w=2
 * RateLimit: "per-client";r=0;t=1
 * Retry-After: 1
 * </pre>
 * The policy is a token bucket of {@code q} requests that refills in {@code w} seconds ({@code q/w} per second on
 * average); {@code r} is what is left now, 0 on a 429, and {@code t} the seconds within which no more can be
 * used: until the next request can pass, the same moment as Retry-After, as the draft asks.
 *
 * @param policy    the RateLimit-Policy field
 * @param limit     the RateLimit field
 * @param retryAfter the Retry-After field, in whole seconds
 */
record RateLimitHeaders(String policy, String limit, String retryAfter) {

    static final String POLICY_NAME = "per-client";

    /** The fields of a decision: the draft's for a request that passed, those of a 429 for one refused. */
    static RateLimitHeaders of(RateLimiter.Decision decision) {
        RatePolicy policy = decision.policy();
        if (!decision.granted()) {
            return refused(policy.burst(), policy.perSecond(), decision.nanosUntilNextToken());
        }
        long remaining = (long) Math.floor(decision.tokensLeft() + 1e-9);
        long untilFull = (decision.nanosUntilFull() + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
        return new RateLimitHeaders(policy(policy.burst(), policy.perSecond()),
                "\"" + POLICY_NAME + "\";r=" + remaining + ";t=" + untilFull, null);
    }

    /**
     * @param burst               the bucket's size
     * @param perSecond           how fast it refills
     * @param nanosUntilNextToken how long until the next request could pass
     */
    static RateLimitHeaders refused(int burst, double perSecond, long nanosUntilNextToken) {
        long seconds = wholeSecondsAtLeastOne(nanosUntilNextToken);
        return new RateLimitHeaders(policy(burst, perSecond), "\"" + POLICY_NAME + "\";r=0;t=" + seconds,
                Long.toString(seconds));
    }

    /** The window is a whole number of seconds (the draft allows no fractions), rounded up, at least 1. */
    static String policy(int burst, double perSecond) {
        long window = Math.max(1, (long) Math.ceil(burst / perSecond));
        return "\"" + POLICY_NAME + "\";q=" + burst + ";w=" + window;
    }

    /** Rounded up: a client that waits exactly this long finds a token there. */
    static long wholeSecondsAtLeastOne(long nanos) {
        return Math.max(1, (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
    }
}
