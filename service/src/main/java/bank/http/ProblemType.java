package bank.http;

import jakarta.ws.rs.core.Response.Status;
import java.net.URI;

/** Every kind of problem the API reports, with the status and title that go with it. */
public enum ProblemType {
    MALFORMED_REQUEST(Status.BAD_REQUEST, "Malformed request"),
    VALIDATION_FAILED(422, "Validation failed"),
    NOT_FOUND(Status.NOT_FOUND, "Not found"),
    METHOD_NOT_ALLOWED(Status.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE(Status.NOT_ACCEPTABLE, "Not acceptable"),
    UNSUPPORTED_MEDIA_TYPE(Status.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    REQUEST_TIMEOUT(Status.REQUEST_TIMEOUT, "Request timeout"),
    CONTENT_TOO_LARGE(Status.REQUEST_ENTITY_TOO_LARGE, "Content too large"),
    URI_TOO_LONG(Status.REQUEST_URI_TOO_LONG, "URI too long"),
    HEADERS_TOO_LARGE(431, "Request header fields too large"),
    API_KEY_REQUIRED(Status.UNAUTHORIZED, "API key required"),
    API_KEY_INVALID(Status.UNAUTHORIZED, "Invalid API key"),
    INSUFFICIENT_SCOPE(Status.FORBIDDEN, "Insufficient scope"),
    TOO_MANY_REQUESTS(Status.TOO_MANY_REQUESTS, "Too many requests"),
    INSUFFICIENT_FUNDS(422, "Insufficient funds"),
    CURRENCY_MISMATCH(422, "Currency mismatch"),
    SAME_ACCOUNT(422, "Same account"),
    BALANCE_LIMIT(422, "Balance limit exceeded"),
    IDEMPOTENCY_KEY_REQUIRED(Status.BAD_REQUEST, "Idempotency key required"),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused"),
    REQUEST_IN_PROGRESS(Status.CONFLICT, "Request in progress"),
    SERVICE_UNAVAILABLE(Status.SERVICE_UNAVAILABLE, "Service unavailable"),
    INTERNAL_ERROR(Status.INTERNAL_SERVER_ERROR, "Internal error");

    private final int status;
    private final String title;

    ProblemType(Status status, String title) {
        this(status.getStatusCode(), title);
    }

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** A stable identifier, e.g. {@code urn:problem:insufficient-funds}. */
    public URI uri() {
        return URI.create("urn:problem:" + name().toLowerCase().replace('_', '-'));
    }

    public Problem problem(String detail) {
        return new Problem(uri(), title, status, detail, null);
    }
}
