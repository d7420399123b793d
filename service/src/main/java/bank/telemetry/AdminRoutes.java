package bank.telemetry;

import io.dropwizard.core.setup.AdminEnvironment;
import io.dropwizard.metrics.servlets.HealthCheckServlet;
import io.dropwizard.metrics.servlets.PingServlet;

/**
 * Gives the admin port's health checks routes of their own in the HTTP server metrics.
 *
 * <p>Dropwizard serves the whole admin port from one servlet mapped to {@code /*}, and the agent names a
 * servlet request's {@code http.route} after the servlet's mapping, so every health check would count under
 * {@code http_route="/*"}, indistinguishable from anything else on that port. The same servlets under exact
 * mappings take precedence over {@code /*} and answer exactly as before.
 */
public final class AdminRoutes {

    private AdminRoutes() {
    }

    public static void register(AdminEnvironment admin) {
        // HealthCheckServlet finds the registry in the servlet context, where Dropwizard puts it.
        admin.addServlet("healthcheck-route", new HealthCheckServlet()).addMapping("/healthcheck");
        admin.addServlet("ping-route", new PingServlet()).addMapping("/ping");
    }
}
