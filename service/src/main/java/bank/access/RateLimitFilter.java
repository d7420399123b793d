package bank.access;

import bank.telemetry.BankMetrics;
import bank.telemetry.BankMetrics.AuthFailure;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.util.Optional;

/**
 * Refuses a request over its client's rate limit with 429, after authentication and before anything else: before
 * the body is read and before any transaction begins, so a refused request has no effect at all, and its retry with
 * the same Idempotency-Key is a first attempt.
 */
@Priority(Priorities.AUTHENTICATION + 500)
final class RateLimitFilter implements ContainerRequestFilter {

    private final RateLimits limits;
    private final BankMetrics metrics;

    RateLimitFilter(RateLimits limits, BankMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        ApiClient client = (ApiClient) request.getSecurityContext().getUserPrincipal();
        Optional<RateLimitHeaders> refused = limits.tryAcquire(client.id());
        if (refused.isPresent()) {
            metrics.authFailure(AuthFailure.RATE_LIMITED);
            request.abortWith(AccessProblems.tooManyRequests(refused.get()));
        }
    }
}
