package bank.simulate;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.net.URI;
import java.time.Duration;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code simulate}: sends a realistic mix of requests to a running bank API until stopped. Used by the compose
 * stack's {@code traffic} service so that every dashboard has data moments after start-up.
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

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        double rate = namespace.getDouble("rate");
        Duration duration = Duration.ofSeconds(Long.parseLong(namespace.getString("duration")));
        new TrafficGenerator(URI.create(namespace.getString("target")), rate).run(duration);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
