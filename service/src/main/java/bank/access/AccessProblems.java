package bank.access;

import bank.http.ProblemType;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The refusals of requests that do not get to their resource: problem documents with the fields of RFC 6750
 * (Bearer tokens) and of the rate-limit draft. None names the client or echoes the key.
 */
final class AccessProblems {

    static final String REALM = "bank-api";
    private static final String BEARER = "Bearer realm=\"" + REALM + "\"";

    private AccessProblems() {
    }

    /** No Bearer credentials at all: the challenge carries no error code (RFC 6750, section 3.1). */
    static Response keyRequired() {
        return Response.fromResponse(ProblemType.API_KEY_REQUIRED.problem("This request needs an API key, sent in "
                        + "the header Authorization: Bearer <key>.").toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, BEARER).build();
    }

    /**
     * A key that is malformed, unknown or revoked. One answer for all three, the same bytes every time: telling a
     * revoked key from one that never existed would tell whoever holds a leaked key that it once worked.
     */
    static Response keyInvalid() {
        return Response.fromResponse(ProblemType.API_KEY_INVALID.problem("The API key is not valid.").toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, BEARER + ", error=\"invalid_token\"").build();
    }

    static Response insufficientScope(String scope) {
        return Response.fromResponse(ProblemType.INSUFFICIENT_SCOPE.problem("This API key does not have the scope "
                        + scope + ", which this operation needs.").toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, BEARER + ", error=\"insufficient_scope\", scope=\"" + scope + "\"")
                .build();
    }

    static Response tooManyRequests(RateLimitHeaders headers) {
        return Response.fromResponse(ProblemType.TOO_MANY_REQUESTS.problem("This API key has sent more requests than "
                        + "its rate limit allows. The request was not processed: send it again, with the same "
                        + "Idempotency-Key if it has one, after the seconds in Retry-After.").toResponse())
                .header(HttpHeaders.RETRY_AFTER, headers.retryAfter())
                .header(RateLimitFilter.POLICY_FIELD, headers.policy())
                .header(RateLimitFilter.LIMIT_FIELD, headers.limit())
                .build();
    }
}
