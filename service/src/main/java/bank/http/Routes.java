package bank.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * The methods each path of the API supports, read from Jersey's resource model, for the Allow header of a 405
 * that Jetty sends before Jersey sees the request (a method the server refuses outright, such as TRACE).
 */
public final class Routes {

    private final Supplier<Set<Class<?>>> resources;
    private final Map<String, String> prefixes;
    private volatile List<Route> routes;

    /**
     * @param resources the resource classes, read on first use, once Jersey holds them all
     * @param prefixes  path prefixes served outside Jersey (static assets), with their Allow value
     */
    public Routes(Supplier<Set<Class<?>>> resources, Map<String, String> prefixes) {
        this.resources = resources;
        this.prefixes = prefixes;
    }

    /** The Allow value for a path, or empty if no resource has this path. */
    public Optional<String> allow(String path) {
        for (Map.Entry<String, String> prefix : prefixes.entrySet()) {
            if (path.startsWith(prefix.getKey())) {
                return Optional.of(prefix.getValue());
            }
        }
        List<String> ignored = new ArrayList<>();
        return routes().stream().filter(route -> route.template().match(path, ignored)).findFirst()
                .map(Route::allow);
    }

    private List<Route> routes() {
        List<Route> known = routes;
        if (known == null) {
            List<Route> collected = new ArrayList<>();
            for (Class<?> type : resources.get()) {
                if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    collect(Resource.from(type), "", collected);
                }
            }
            routes = known = List.copyOf(collected);
        }
        return known;
    }

    private static void collect(Resource resource, String prefix, List<Route> routes) {
        String path = join(prefix, resource.getPath());
        Set<String> methods = new TreeSet<>();
        for (ResourceMethod method : resource.getResourceMethods()) {
            methods.add(method.getHttpMethod());
        }
        if (!methods.isEmpty()) {
            // Jersey answers HEAD for every GET and OPTIONS for every resource.
            if (methods.contains("GET")) {
                methods.add("HEAD");
            }
            methods.add("OPTIONS");
            routes.add(new Route(new UriTemplate(path), String.join(", ", methods)));
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, routes);
        }
    }

    private static String join(String prefix, String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return prefix.isEmpty() ? "/" : prefix;
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return prefix + (trimmed.startsWith("/") ? "" : "/") + trimmed;
    }

    private record Route(UriTemplate template, String allow) {
    }
}
