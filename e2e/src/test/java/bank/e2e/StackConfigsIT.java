package bank.e2e;

import bank.e2e.stack.Command;
import bank.e2e.stack.Repository;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stack files, validated by the programs that read them: {@code otelcol-bank validate} on
 * otel-collector.yaml, {@code promtool check config|rules} and {@code promtool test rules}, {@code amtool
 * check-config} on the Alertmanager files and {@code docker-compose config} on docker-compose.yml
 * (all through tools/check-configs.sh).
 */
class StackConfigsIT {

    @Test
    void everyStackFilePassesItsOwnValidator() {
        Command.run("check-configs", List.of("bash", Repository.file("tools/check-configs.sh").toString()),
                Duration.ofMinutes(30)).assertSucceeded();
    }
}
