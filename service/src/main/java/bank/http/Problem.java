package bank.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem document, the body of every error response.
 *
 * @param type   a URI naming the kind of problem; clients switch on it
 * @param errors field-level reasons, present only for validation problems
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details.")
public record Problem(URI type, String title, int status, String detail, List<FieldError> errors) {

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

    public Response toResponse() {
        return Response.status(status).type(MEDIA).entity(this).build();
    }
}
