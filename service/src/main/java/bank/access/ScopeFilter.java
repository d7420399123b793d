package bank.access;

import bank.telemetry.BankMetrics;
import bank.telemetry.BankMetrics.AuthFailure;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

/** Refuses with 403 a request whose key lacks the scope its operation names in {@code @RolesAllowed}. */
@Priority(Priorities.AUTHORIZATION)
final class ScopeFilter implements ContainerRequestFilter {

    private final String scope;
    private final BankMetrics metrics;

    ScopeFilter(String scope, BankMetrics metrics) {
        this.scope = scope;
        this.metrics = metrics;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!request.getSecurityContext().isUserInRole(scope)) {
            metrics.authFailure(AuthFailure.FORBIDDEN);
            request.abortWith(AccessProblems.insufficientScope(scope));
        }
    }
}
