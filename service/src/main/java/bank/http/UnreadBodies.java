package bank.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Closes the connection of a request whose body was never read, and says so with {@code Connection: close}. A
 * request refused before its body is read (no key, no scope, over the rate limit, an unknown route, an unsupported
 * media type) may still have body bytes on their way, which the web server will not read: it ends the connection
 * after the response. Without the header, a client keeping the connection for its next request finds it closed with
 * no answer, which a client may not retry on its own for a POST.
 */
public final class UnreadBodies implements ContainerResponseFilter {

    /** Set on a request by whatever reads its body. */
    static final String BODY_READ = UnreadBodies.class.getName() + ".bodyRead";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (hasBody(request) && request.getProperty(BODY_READ) == null) {
            response.getHeaders().putSingle("Connection", "close");
        }
    }

    /** From the headers alone: asking the entity stream could block on a body that has not arrived. */
    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString("Content-Length");
        return request.getHeaderString("Transfer-Encoding") != null || (length != null && !length.strip().equals("0"));
    }
}
