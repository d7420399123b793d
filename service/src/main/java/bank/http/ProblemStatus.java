package bank.http;

import jakarta.ws.rs.core.Response;

/**
 * The problem document for a bare HTTP status, when the refusal comes from the web server or the framework
 * rather than from the API's own rules: an unknown route, an unsupported method, a body too large or too slow.
 * The detail is fixed text, so nothing of the request (its path, its headers, its body) is echoed.
 */
public final class ProblemStatus {

    private ProblemStatus() {
    }

    public static Problem of(int status) {
        return switch (status) {
            case 400 -> ProblemType.MALFORMED_REQUEST.problem("The request is malformed.");
            case 404 -> ProblemType.NOT_FOUND.problem("No resource matches this path.");
            case 405 -> ProblemType.METHOD_NOT_ALLOWED.problem("This resource does not support the method.");
            case 406 -> ProblemType.NOT_ACCEPTABLE.problem("This resource responds with application/json.");
            case 408 -> ProblemType.REQUEST_TIMEOUT.problem("The request did not arrive in time.");
            case 413 -> ProblemType.CONTENT_TOO_LARGE.problem("The request body is larger than this API accepts.");
            case 414 -> ProblemType.URI_TOO_LONG.problem("The request URI is longer than this API accepts.");
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE.problem("Send the request body as application/json in UTF-8.");
            case 431 -> ProblemType.HEADERS_TOO_LARGE.problem("The request headers are larger than this API accepts.");
            case 500 -> ProblemType.INTERNAL_ERROR.problem("The request could not be completed.");
            case 503 -> ProblemType.SERVICE_UNAVAILABLE.problem("The service is temporarily unavailable. Retry later.");
            default -> new Problem(status >= 500 ? ProblemType.INTERNAL_ERROR.uri() : ProblemType.MALFORMED_REQUEST.uri(),
                    reasonPhrase(status), status, status >= 500 ? "The request could not be completed."
                    : "The request was not understood.", null);
        };
    }

    private static String reasonPhrase(int status) {
        Response.StatusType known = Response.Status.fromStatusCode(status);
        return known == null ? "HTTP " + status : known.getReasonPhrase();
    }
}
