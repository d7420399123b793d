package bank.db;

import bank.logging.LogDrain;
import bank.logging.LogSafety;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.time.Duration;
import java.util.function.Function;
import net.sourceforge.argparse4j.inf.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code migrate}: brings the schema up to date and exits, for a deployment that migrates once before the service
 * starts (compose's {@code api-migrate}, the chart's init container) rather than in every instance's start-up.
 * <pre>
 * java -jar bank-service.jar migrate config.yml
 * </pre>
 * It does what the service does before it serves: waits for a database that is not accepting connections yet
 * ({@code databaseStartupTimeout}, retried with backoff, one line per wait), then applies the changesets under the
 * advisory lock of {@link Database#migrate}, so that runs started together, and instances still migrating on
 * start, take turns. Exit status 0 once the schema is current, whether or not there was anything to apply;
 * otherwise 1, with the reason in one log line.
 *
 * <p>Not Dropwizard's {@code db migrate}, which stays available: that one fails at once on a database that is
 * still starting, and relies on Liquibase's lock table alone, which a run killed mid-migration leaves locked until
 * someone releases it by hand. The advisory lock ends with the session.
 */
public class MigrateCommand<T extends Configuration> extends ConfiguredCommand<T> {

    private static final Logger LOG = LoggerFactory.getLogger(MigrateCommand.class);

    private final Class<T> configurationClass;
    private final Function<T, DataSourceFactory> database;
    private final Function<T, Duration> startupTimeout;

    public MigrateCommand(Class<T> configurationClass, Function<T, DataSourceFactory> database,
                          Function<T, Duration> startupTimeout) {
        super("migrate", "Waits for the database, applies pending schema migrations under the migration lock, "
                + "and exits.");
        this.configurationClass = configurationClass;
        this.database = database;
        this.startupTimeout = startupTimeout;
    }

    @Override
    protected Class<T> getConfigurationClass() {
        return configurationClass;
    }

    @Override
    protected void run(Bootstrap<T> bootstrap, Namespace namespace, T configuration) throws Exception {
        LogSafety.apply();
        DataSourceFactory factory = database.apply(configuration);
        // One session does the whole migration; the wait for the database uses connections of its own.
        factory.asSingleConnectionPool();
        ManagedDataSource dataSource = factory.build(new MetricRegistry(), "migrate");
        try {
            DatabaseStartup.await(factory, dataSource, true, startupTimeout.apply(configuration));
        } catch (Exception e) {
            String reason = DatabaseStartup.failure(factory, e);
            LOG.error("migration failed: {}", reason);
            throw new Failed(reason, e);
        } finally {
            dataSource.stop();
        }
        LOG.info("the database schema is up to date");
        LogDrain.beforeExit();
    }

    /** The log already has the reason in one line; anything else (such as a configuration error) gets one here. */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (!(e instanceof Failed)) {
            cli.getStdErr().println("migrate: " + e.getMessage());
        }
    }

    private static final class Failed extends Exception {
        Failed(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
