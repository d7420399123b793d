package bank.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem document, the body of every error response.
 *
 * @param type      the kind of problem, which clients switch on: the path of the page that describes it
 * @param errors    field-level reasons, present only for validation problems
 * @param requestId the id of the request that got this answer, also in its {@code Request-Id} header: the trace id
 *                  of its server span, which support follows to the trace and the log lines
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "errors", "requestId"})
@Schema(name = "Problem", description = "RFC 9457 problem details.")
public record Problem(@Schema(format = "uri-reference", description = "The kind of problem, which clients switch "
                              + "on: the path of the page that describes it (`/problems/<name>`), relative to the "
                              + "request's URI") URI type, String title, int status, String detail, List<FieldError> errors,
                      @Schema(description = "The request's id, as in its Request-Id header (32 hex digits, the trace "
                              + "id)", pattern = "^[0-9a-f]{32}$") String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);

    /**
     * A reason one field of the request was refused. {@code field} is a JSON path such as {@code amount}; a path
     * taken from the request (an unknown field's name) is quoted at most {@link #MAX_FIELD_LENGTH} characters
     * long, with control and invisible characters written as {@code \\uXXXX}.
     */
    public record FieldError(String field, String message) {

        public static final int MAX_FIELD_LENGTH = 64;

        public FieldError {
            field = bounded(field);
        }

        private static String bounded(String path) {
            StringBuilder safe = new StringBuilder();
            int[] codePoints = path.codePoints().toArray();
            for (int i = 0; i < codePoints.length; i++) {
                if (i == MAX_FIELD_LENGTH) {
                    return safe.append("...").toString();
                }
                int c = codePoints[i];
                int type = Character.getType(c);
                if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                        || type == Character.UNASSIGNED || type == Character.PRIVATE_USE || c == '\\') {
                    safe.append(String.format("\\u%04x", c));
                } else {
                    safe.appendCodePoint(c);
                }
            }
            return safe.toString();
        }
    }

    /** A problem of the request this thread is handling, which carries its {@link RequestId}. */
    public Problem(URI type, String title, int status, String detail, List<FieldError> errors) {
        this(type, title, status, detail, errors, RequestId.current());
    }

    public Problem withRequestId(String id) {
        return new Problem(type, title, status, detail, errors, id);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA).entity(this).build();
    }
}
