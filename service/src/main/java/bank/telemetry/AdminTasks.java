package bank.telemetry;

import io.dropwizard.core.setup.Environment;
import java.util.Arrays;
import org.eclipse.jetty.ee10.servlet.ServletHandler;
import org.eclipse.jetty.ee10.servlet.ServletMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dropwizard serves tasks that change the running process on the admin port ({@code /tasks/log-level},
 * {@code /tasks/gc}). Raising a driver's logger to TRACE makes it log bound values, and anyone who reaches the port
 * could do it, so unless they are switched on the task servlet loses its mapping and {@code /tasks/*} is a 404.
 */
public final class AdminTasks {

    private static final Logger LOG = LoggerFactory.getLogger(AdminTasks.class);
    /** The name Dropwizard's AdminEnvironment gives the task servlet. */
    private static final String TASK_SERVLET = "tasks";

    private AdminTasks() {
    }

    public static void configure(Environment environment, boolean enabled) {
        if (enabled) {
            LOG.warn("admin tasks are on: /tasks/* on the admin port can change log levels");
            return;
        }
        ServletHandler servlets = environment.getAdminContext().getServletHandler();
        servlets.setServletMappings(Arrays.stream(servlets.getServletMappings())
                .filter(mapping -> !mapping.getServletName().equals(TASK_SERVLET))
                .toArray(ServletMapping[]::new));
        LOG.info("admin tasks are off (adminTasksEnabled: false)");
    }
}
