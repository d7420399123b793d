package bank.idempotency;

import bank.http.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** A response as it was first sent, kept so that a retry with the same key gets it again byte for byte. */
record StoredResponse(int status, String location, String body) {

    Response toResponse(boolean replayed) {
        Response.ResponseBuilder response = Response.status(status)
                .type(status >= 400 ? Problem.MEDIA : MediaType.APPLICATION_JSON_TYPE)
                .entity(body);
        if (location != null) {
            response.location(URI.create(location));
        }
        if (replayed) {
            response.header(Idempotency.REPLAYED_HEADER, "true");
        }
        return response.build();
    }
}
