package bank.access;

import bank.telemetry.BankMetrics;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * Puts every API operation behind its key, its client's rate limit and its scope, in that order. Deny by default:
 * an operation under {@code /v1} that names no scope with {@code @RolesAllowed} stops the service from starting,
 * rather than being served to anyone. Routes outside {@code /v1} (the OpenAPI document, Swagger UI, the problem
 * pages) stay open.
 */
final class ApiAccessFeature implements DynamicFeature {

    static final String API_PREFIX = "/v1";

    private final ApiKeyFilter keys;
    private final RateLimitFilter rateLimit;
    private final BankMetrics metrics;

    ApiAccessFeature(ApiKeyFilter keys, RateLimitFilter rateLimit, BankMetrics metrics) {
        this.keys = keys;
        this.rateLimit = rateLimit;
        this.metrics = metrics;
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Path path = resource.getResourceClass().getAnnotation(Path.class);
        if (path == null || !path.value().startsWith(API_PREFIX)) {
            return;
        }
        context.register(keys);
        context.register(rateLimit);
        context.register(new ScopeFilter(scopeOf(resource), metrics));
    }

    /** The one scope an operation names; see {@link Scope}. */
    static String scopeOf(ResourceInfo resource) {
        RolesAllowed scopes = resource.getResourceMethod().getAnnotation(RolesAllowed.class);
        if (scopes == null || scopes.value().length != 1 || !Scope.ALL.contains(scopes.value()[0])) {
            throw new IllegalStateException(resource.getResourceClass().getSimpleName() + "."
                    + resource.getResourceMethod().getName() + " serves " + API_PREFIX + " but does not name exactly "
                    + "one scope with @RolesAllowed: every API operation says which scope it needs");
        }
        return scopes.value()[0];
    }
}
