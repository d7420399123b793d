package bank.simulate;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.net.URI;
import java.time.Duration;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code simulate}: sends a realistic mix of requests to a running bank API until stopped. Used by the compose
 * stack's {@code traffic} service so that every dashboard has data moments after start-up. It authenticates with
 * {@code TRAFFIC_API_KEY}, or else the bootstrap key {@code BANK_BOOTSTRAP_API_KEY}.
 */
public class SimulateCommand extends Command {

    public SimulateCommand() {
        super("simulate", "Sends a realistic mix of requests to a running bank API until stopped.");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("--target")
                .setDefault(env("TRAFFIC_TARGET", "http://localhost:8080"))
                .help("base URL of the API (env TRAFFIC_TARGET, default http://localhost:8080)");
        subparser.addArgument("--rate")
                .type(Double.class)
                .setDefault(Double.parseDouble(env("TRAFFIC_RATE", "5")))
                .help("requests per second; 0 switches traffic off (env TRAFFIC_RATE, default 5)");
        subparser.addArgument("--duration")
                .setDefault(env("TRAFFIC_DURATION", "0"))
                .help("stop after this many seconds; 0 runs until stopped (env TRAFFIC_DURATION, default 0)");
    }

    /**
     * The API key comes from the environment only, never from the command line, where any user of the machine could
     * read it in the process list.
     */
    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        double rate = namespace.getDouble("rate");
        Duration duration = Duration.ofSeconds(Long.parseLong(namespace.getString("duration")));
        String key = env("TRAFFIC_API_KEY", env("BANK_BOOTSTRAP_API_KEY", ""));
        if (key.isEmpty() && rate > 0) {
            throw new IllegalStateException("simulate needs an API key with every scope: set TRAFFIC_API_KEY (or "
                    + "BANK_BOOTSTRAP_API_KEY, the service's bootstrap key)");
        }
        new TrafficGenerator(URI.create(namespace.getString("target")), rate, key).run(duration);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
