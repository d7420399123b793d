package bank.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages as RFC 9457 problem documents, the same ones the API's exception mappers write. Jetty
 * answers some requests before any application code runs (a malformed request line or path encoding, a URI or
 * header block over the limit, a method the server refuses, a body over the size limit), and a servlet's
 * {@code sendError} ends here too. Every method gets a body (Jetty's default is only GET, POST and HEAD), no
 * Accept header can turn it into HTML, and nothing of the request is quoted.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    private final ObjectMapper json;
    private final Function<String, Optional<String>> allowedMethods;

    /**
     * @param allowedMethods the value of the Allow header for a path, or empty if no resource has that path: a
     *                       405 for a path that names nothing becomes a 404
     */
    public ProblemErrorHandler(ObjectMapper json, Function<String, Optional<String>> allowedMethods) {
        this.json = json;
        this.allowedMethods = allowedMethods;
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        int status = code;
        if (status == 405 && !response.getHeaders().contains(HttpHeader.ALLOW)) {
            Optional<String> allow = allowedMethods.apply(Request.getPathInContext(request));
            if (allow.isPresent()) {
                response.getHeaders().put(HttpHeader.ALLOW, allow.get());
            } else {
                status = 404;
                response.setStatus(status);
            }
        }
        if (status == 503 && !response.getHeaders().contains(HttpHeader.RETRY_AFTER)) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        RequestId id = RequestId.of(request);
        RequestIdHandler.setHeaders(response, id);
        byte[] body;
        try {
            body = json.writeValueAsBytes(ProblemStatus.of(status).withRequestId(id.traceId()));
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
