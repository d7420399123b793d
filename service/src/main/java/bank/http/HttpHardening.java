package bank.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * What the web server does with requests the API never sees in a resource: error pages as problem documents on
 * both ports and for requests Jetty refuses before any context, a request body size limit, and strict decoding of
 * JSON bodies.
 */
public final class HttpHardening {

    private HttpHardening() {
    }

    public static void apply(Environment environment, HttpConfig config) {
        ObjectMapper json = environment.getObjectMapper();
        Routes routes = new Routes(() -> environment.jersey().getResourceConfig().getClasses(),
                Map.of("/docs", "GET, HEAD"));
        ProblemErrorHandler api = new ProblemErrorHandler(json, routes::allow);
        environment.getApplicationContext().setErrorHandler(api);
        environment.getAdminContext().setErrorHandler(new ProblemErrorHandler(json,
                path -> Optional.of(path.startsWith("/tasks/") ? "POST" : "GET, HEAD")));
        // Dropwizard sets the server's own error handler while it builds the server, after run(): replace it as the
        // server starts. It answers what fails before routing (a bad request line, URI or headers).
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                    server.setErrorHandler(api);
                }
            }
        });
        environment.getApplicationContext().insertHandler(
                new SizeLimitHandler(config.getMaxRequestBodySize().toBytes(), -1));
        // Inserted last, so it runs first: even a body over the size limit is answered with the request's id.
        environment.getApplicationContext().insertHandler(new RequestIdHandler());
        environment.jersey().register(new StrictJsonBody(
                java.time.Duration.ofMillis(config.getRequestBodyTimeout().toMilliseconds())));
    }
}
