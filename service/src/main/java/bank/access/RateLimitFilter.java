package bank.access;

import bank.telemetry.BankMetrics;
import bank.telemetry.BankMetrics.AuthFailure;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Counts each authenticated request against its client's rate limit (its own, or the configured default), after
 * authentication and before anything else: before the body is read and before any transaction begins, so a refused
 * request has no effect at all, and its retry with the same Idempotency-Key is a first attempt. A request over the
 * limit gets 429; every request that counted, whatever its answer (a 201, a 404, a 403 for a missing scope), carries
 * the RateLimit-Policy and RateLimit fields, so that a client can pace itself before it is refused. A request
 * refused for its key did not count, and carries neither.
 */
@Priority(Priorities.AUTHENTICATION + 500)
final class RateLimitFilter implements ContainerRequestFilter, ContainerResponseFilter {

    static final String POLICY_FIELD = "RateLimit-Policy";
    static final String LIMIT_FIELD = "RateLimit";
    private static final String COUNTED = RateLimitFilter.class.getName() + ".counted";

    private final RateLimiter limits;
    private final RatePolicy defaultPolicy;
    private final BankMetrics metrics;

    RateLimitFilter(RateLimiter limits, RatePolicy defaultPolicy, BankMetrics metrics) {
        this.limits = limits;
        this.defaultPolicy = defaultPolicy;
        this.metrics = metrics;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        ApiClient client = (ApiClient) request.getSecurityContext().getUserPrincipal();
        RatePolicy policy = client.ratePolicy() != null ? client.ratePolicy() : defaultPolicy;
        RateLimitHeaders headers = RateLimitHeaders.of(limits.tryAcquire(client.id(), policy));
        request.setProperty(COUNTED, headers);
        if (headers.retryAfter() != null) {
            metrics.authFailure(AuthFailure.RATE_LIMITED);
            request.abortWith(AccessProblems.tooManyRequests(headers));
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(COUNTED) instanceof RateLimitHeaders headers) {
            response.getHeaders().putSingle(POLICY_FIELD, headers.policy());
            response.getHeaders().putSingle(LIMIT_FIELD, headers.limit());
        }
    }
}
