package bank.http;

import jakarta.ws.rs.core.Response.Status;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every kind of problem the API reports: its status and title, when it happens and what a client does about it.
 * The same texts make the page each problem's {@code type} leads to ({@link bank.docs.ProblemPages}).
 */
public enum ProblemType {
    MALFORMED_REQUEST(Status.BAD_REQUEST, "Malformed request",
            "The body is not JSON, or there is no body; a key is named twice; the body is not UTF-8 (overlong or "
                    + "surrogate sequences, a NUL byte, UTF-16); the body is shorter than its `Content-Length` or badly "
                    + "chunked; the path encoding (`%zz`, `%2F`, `%C0%AE`), the request line or a header is malformed.",
            "Fix the request: send one JSON object in UTF-8, with well-formed headers and path. Sending it again "
                    + "unchanged gets the same answer."),
    IDEMPOTENCY_KEY_REQUIRED(Status.BAD_REQUEST, "Idempotency key required",
            "A credit, debit or transfer came without an `Idempotency-Key` header. Nothing was written.",
            "Send the request again with an `Idempotency-Key` unique to the operation (a UUID, say), and keep it: a "
                    + "retry with the same key is safe, the operation takes effect at most once."),
    VALIDATION_FAILED(422, "Validation failed",
            "One or more fields are invalid: `errors` lists each, with its JSON path and the reason (control "
                    + "characters, a lone surrogate, a blank name, over-long text, an unknown field, a bad paging "
                    + "parameter...).",
            "Correct the fields named in `errors`; the OpenAPI document states every rule as `maxLength`, "
                    + "`minLength`, `pattern` or `enum`."),
    API_KEY_REQUIRED(Status.UNAUTHORIZED, "API key required",
            "The request has no API key in an `Authorization: Bearer` header.",
            "Send the client's key as `Authorization: Bearer <key>`, and only there: a key elsewhere is not read."),
    API_KEY_INVALID(Status.UNAUTHORIZED, "Invalid API key",
            "The key is malformed, unknown or revoked; the answer is the same for all three.",
            "Check that the whole key is sent. If it was rotated or revoked, use the client's new key; retrying with "
                    + "the same key will not succeed."),
    INSUFFICIENT_SCOPE(Status.FORBIDDEN, "Insufficient scope",
            "The key lacks the scope the operation needs; `detail` and `WWW-Authenticate` name it. Nothing was done.",
            "Use a key of a client that has the scope, or have an administrator give one to a new client."),
    NOT_FOUND(Status.NOT_FOUND, "Not found",
            "No account, transaction or transfer has this id, or it belongs to another client (which gets the same "
                    + "answer), or the path is unknown.",
            "Check the id and the path. Another client's account cannot be told from one that does not exist."),
    METHOD_NOT_ALLOWED(Status.METHOD_NOT_ALLOWED, "Method not allowed",
            "The path does not support the method.",
            "Use one of the methods the `Allow` header lists."),
    NOT_ACCEPTABLE(Status.NOT_ACCEPTABLE, "Not acceptable",
            "The `Accept` header excludes JSON.",
            "Accept `application/json` (and `application/problem+json` for errors), or send no `Accept` at all."),
    REQUEST_TIMEOUT(Status.REQUEST_TIMEOUT, "Request timeout",
            "The body stopped arriving for 5 s, or was still trickling in after 5 s.",
            "Send the whole body at once, on a new connection; a request that moves money with the same "
                    + "`Idempotency-Key`."),
    CONTENT_TOO_LARGE(Status.REQUEST_ENTITY_TOO_LARGE, "Content too large",
            "The body is over 64 KiB, refused from its `Content-Length` before it is read (a chunked one while it "
                    + "is read).",
            "Send a smaller body: no request of this API needs one that large."),
    URI_TOO_LONG(Status.REQUEST_URI_TOO_LONG, "URI too long",
            "The request line is over 8 KiB.",
            "Shorten the URI: ids and paging cursors are short."),
    UNSUPPORTED_MEDIA_TYPE(Status.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
            "The body was not sent as `application/json`, or with a charset other than UTF-8.",
            "Send `Content-Type: application/json` and the body in UTF-8."),
    HEADERS_TOO_LARGE(431, "Request header fields too large",
            "The request headers are over 8 KiB.",
            "Send fewer or shorter headers."),
    INSUFFICIENT_FUNDS(422, "Insufficient funds",
            "A debit or transfer is larger than the balance of the account it takes money from. Nothing was written.",
            "Credit the account first, or ask for a smaller amount. With the same `Idempotency-Key` the stored "
                    + "refusal is replayed: a new attempt needs a new key."),
    CURRENCY_MISMATCH(422, "Currency mismatch",
            "A transfer is between accounts of different currencies. Nothing was written.",
            "Transfer only between accounts of the same currency."),
    SAME_ACCOUNT(422, "Same account",
            "A transfer goes to the account it comes from. Nothing was written.",
            "Choose another account to transfer to."),
    BALANCE_LIMIT(422, "Balance limit exceeded",
            "A credit would take the balance over the largest signed 64-bit number of minor units. Nothing was written.",
            "Credit a smaller amount, or another account."),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused",
            "An `Idempotency-Key` came again with another method, path or body.",
            "A new operation needs a new key. To retry the first request, send it again exactly as it was."),
    REQUEST_IN_PROGRESS(Status.CONFLICT, "Request in progress",
            "The first request with this `Idempotency-Key` is still running (`Retry-After: 1`).",
            "Wait for `Retry-After`, then send the same request with the same key: it gets the first request's answer."),
    TOO_MANY_REQUESTS(Status.TOO_MANY_REQUESTS, "Too many requests",
            "The client is over its rate limit (`Retry-After`, `RateLimit`, `RateLimit-Policy`). Nothing was done.",
            "Wait for `Retry-After`, then send the request again (with the same `Idempotency-Key`: it is a first "
                    + "attempt). Pace requests by the `RateLimit` field of earlier answers."),
    SERVICE_UNAVAILABLE(Status.SERVICE_UNAVAILABLE, "Service unavailable",
            "The database is unreachable, timed out or has no free connection (`Retry-After: 1`). The outcome of a "
                    + "request that writes is unknown.",
            "Wait for `Retry-After`, then retry with the same `Idempotency-Key`: a request that was committed is "
                    + "replayed, one that was not runs now."),
    INTERNAL_ERROR(Status.INTERNAL_SERVER_ERROR, "Internal error",
            "A bug in the service; `detail` and `requestId` carry the request id, which is also on the server's log "
                    + "line.",
            "Quote the `requestId` to support. A retry with the same `Idempotency-Key` is safe.");

    /** Where the pages live; each problem's {@code type} is this path and its {@link #slug()}. */
    public static final String PAGES = "/problems";

    private final int status;
    private final String title;
    private final String description;
    private final String advice;

    ProblemType(Status status, String title, String description, String advice) {
        this(status.getStatusCode(), title, description, advice);
    }

    ProblemType(int status, String title, String description, String advice) {
        this.status = status;
        this.title = title;
        this.description = description;
        this.advice = advice;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** When this problem happens, in Markdown (code in backticks). */
    public String description() {
        return description;
    }

    /** What a client does about it, in Markdown (code in backticks). */
    public String advice() {
        return advice;
    }

    /** The name in kebab case, e.g. {@code insufficient-funds}. */
    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * A stable identifier that is also the address of the page describing the problem, e.g.
     * {@code /problems/insufficient-funds}: a reference relative to the request's URI (RFC 9457, section 3.1.1), so
     * that it is the same string on every deployment and a client can switch on it.
     */
    public URI uri() {
        return URI.create(PAGES + "/" + slug());
    }

    public static Optional<ProblemType> bySlug(String slug) {
        return Arrays.stream(values()).filter(type -> type.slug().equals(slug)).findFirst();
    }

    public Problem problem(String detail) {
        return new Problem(uri(), title, status, detail, null);
    }
}
