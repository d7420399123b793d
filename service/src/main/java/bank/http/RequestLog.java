package bank.http;

import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Locale;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.glassfish.jersey.uri.UriTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per API request: method, route template, status, client and duration, in logfmt so that LogQL's
 * {@code | logfmt} can filter on them.
 *
 * <p>The route is the matched template ({@code /v1/accounts/{id}}), never the raw path, so lines group by
 * endpoint and carry no ids. The client is the id of the API client whose key the request carried ({@code -} when
 * it carried none that was valid); never its name, never its key. The line is written while the request's server
 * span is current, so it carries the trace id that links it to its trace; {@code request_id} is the same id, as the
 * response's {@code Request-Id} header shows it, so that the line is found from the header with or without the agent.
 */
@Provider
public final class RequestLog implements ApplicationEventListener {

    /** The request property under which authentication leaves the client's id for this line. */
    public static final String CLIENT_PROPERTY = "bank.client.id";

    private static final Logger LOG = LoggerFactory.getLogger("bank.http");

    @Override
    public void onEvent(ApplicationEvent event) {
    }

    @Override
    public RequestEventListener onRequest(RequestEvent start) {
        long startedAt = System.nanoTime();
        return event -> {
            if (event.getType() == RequestEvent.Type.FINISHED) {
                log(event, System.nanoTime() - startedAt);
            }
        };
    }

    private static void log(RequestEvent event, long nanos) {
        int status = event.getContainerResponse() == null ? 500 : event.getContainerResponse().getStatus();
        Object client = event.getContainerRequest().getProperty(CLIENT_PROPERTY);
        String line = String.format(Locale.ROOT, "request method=%s route=%s status=%d client=%s duration_ms=%.1f request_id=%s",
                event.getContainerRequest().getMethod(), route(event), status, client == null ? "-" : client,
                nanos / 1e6, RequestId.current());
        if (status >= 500) {
            LOG.error(line);
        } else {
            LOG.info(line);
        }
    }

    static String route(RequestEvent event) {
        List<UriTemplate> templates = event.getUriInfo().getMatchedTemplates();
        if (templates.isEmpty()) {
            return "unmatched";
        }
        StringBuilder route = new StringBuilder();
        for (int i = templates.size() - 1; i >= 0; i--) {
            String part = templates.get(i).getTemplate();
            if (!part.isEmpty() && !part.equals("/")) {
                if (!part.startsWith("/")) {
                    route.append('/');
                }
                route.append(part.endsWith("/") ? part.substring(0, part.length() - 1) : part);
            }
        }
        return route.length() == 0 ? "/" : route.toString();
    }
}
