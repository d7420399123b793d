package bank.access;

import bank.http.RequestLog;
import bank.telemetry.BankMetrics;
import bank.telemetry.BankMetrics.AuthFailure;
import io.dropwizard.auth.AuthFilter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.HexFormat;

/**
 * Authenticates a request by its {@code Authorization: Bearer <key>} header, and only by it: a key in a query string
 * would end up in access logs and browser histories, so none is read there.
 *
 * <p>The key is hashed at once, and only its hash goes further, to the cache and to the database. Once the client is
 * known, its id (never its name, never its key) goes on the server span and in the request's log line.
 */
@Priority(Priorities.AUTHENTICATION)
final class ApiKeyFilter extends AuthFilter<String, ApiClient> {

    /** The span attribute that says which client sent the request. */
    static final AttributeKey<String> CLIENT_ID = AttributeKey.stringKey("bank.client.id");
    private static final String SCHEME = "Bearer";

    private BankMetrics metrics;

    @Override
    public void filter(ContainerRequestContext request) {
        String key = bearerCredentials(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (key == null) {
            metrics.authFailure(AuthFailure.MISSING);
            request.abortWith(AccessProblems.keyRequired());
            return;
        }
        if (!ApiKeys.isWellFormed(key) || !authenticate(request, HexFormat.of().formatHex(ApiKeys.hash(key)), SCHEME)) {
            metrics.authFailure(AuthFailure.INVALID);
            request.abortWith(AccessProblems.keyInvalid());
            return;
        }
        String clientId = request.getSecurityContext().getUserPrincipal().getName();
        request.setProperty(RequestLog.CLIENT_PROPERTY, clientId);
        Span.current().setAttribute(CLIENT_ID, clientId);
    }

    /**
     * The credentials of a Bearer Authorization header (RFC 6750: the scheme, in any case, then the token), or null
     * when there are none: no header, another scheme, or the scheme alone.
     */
    static String bearerCredentials(String header) {
        if (header == null) {
            return null;
        }
        String trimmed = header.strip();
        int space = trimmed.indexOf(' ');
        String scheme = space < 0 ? trimmed : trimmed.substring(0, space);
        if (!scheme.equalsIgnoreCase(SCHEME)) {
            return null;
        }
        String token = space < 0 ? "" : trimmed.substring(space + 1).strip();
        return token.isEmpty() ? null : token;
    }

    static final class Builder extends AuthFilterBuilder<String, ApiClient, ApiKeyFilter> {
        private final BankMetrics metrics;

        Builder(BankMetrics metrics) {
            this.metrics = metrics;
            setPrefix(SCHEME);
            setRealm(AccessProblems.REALM);
        }

        @Override
        protected ApiKeyFilter newInstance() {
            ApiKeyFilter filter = new ApiKeyFilter();
            filter.metrics = metrics;
            return filter;
        }
    }
}
