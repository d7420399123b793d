package bank.telemetry;

import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerRoute;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerRouteSource;
import jakarta.ws.rs.ext.Provider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Gives a request that is refused before any resource method runs (415 for a body that is not JSON, 405, 406; or
 * 401, 403 and 429 from the filters of API access) the route of the resource its path belongs to, in its server
 * span and its HTTP metrics.
 *
 * <p>The agent learns a Jersey request's route when a resource method is dispatched. A request refused while
 * Jersey selects the method keeps the route of the servlet mapping, {@code /*}, and Jersey has not recorded
 * the matched templates either, so a dashboard could not tell which endpoint refuses requests. The path is
 * matched here against the application's resource model, most specific template first, as Jersey matches it;
 * a path that matches no resource (a 404) keeps {@code /*}. Without the agent this does nothing.
 */
@Provider
public final class RefusedRequestRoutes implements ApplicationEventListener {

    private volatile List<UriTemplate> routes = List.of();

    @Override
    public void onEvent(ApplicationEvent event) {
        if (event.getType() == ApplicationEvent.Type.INITIALIZATION_FINISHED) {
            List<UriTemplate> templates = new ArrayList<>();
            event.getResourceModel().getResources().forEach(resource -> collect(resource, "", templates));
            templates.sort(UriTemplate.COMPARATOR);
            routes = List.copyOf(templates);
        }
    }

    @Override
    public RequestEventListener onRequest(RequestEvent start) {
        return new RequestEventListener() {
            private boolean dispatched;

            @Override
            public void onEvent(RequestEvent event) {
                switch (event.getType()) {
                    case RESOURCE_METHOD_START -> dispatched = true;
                    // A request filter that aborts the request (abortWith) throws nothing: its response goes
                    // straight to the response filters, and no resource method starts.
                    case ON_EXCEPTION, RESP_FILTERS_START -> {
                        if (!dispatched) {
                            route(event);
                        }
                    }
                    default -> {
                    }
                }
            }
        };
    }

    private void route(RequestEvent event) {
        String path = "/" + event.getUriInfo().getPath(false);
        routes.stream().filter(route -> route.match(path, new HashMap<>())).findFirst().ifPresent(route ->
                HttpServerRoute.update(Context.current(), HttpServerRouteSource.CONTROLLER, route.getTemplate()));
    }

    /** The full path template of every resource and sub-resource that has methods. */
    private static void collect(Resource resource, String parent, List<UriTemplate> into) {
        String path = join(parent, resource.getPath());
        if (!resource.getResourceMethods().isEmpty()) {
            into.add(new UriTemplate(path));
        }
        resource.getChildResources().forEach(child -> collect(child, path, into));
    }

    private static String join(String parent, String child) {
        String joined = (parent + "/" + (child == null ? "" : child)).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
