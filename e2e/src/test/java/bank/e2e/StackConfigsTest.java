package bank.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import bank.e2e.stack.Repository;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stack files, validated by the programs that read them: {@code otelcol-bank validate} on
 * otel-collector.yaml, {@code promtool check config|rules} and {@code promtool test rules}, {@code amtool
 * check-config} on the Alertmanager files and {@code docker-compose config} on docker-compose.yml
 * (all through tools/check-configs.sh).
 */
class StackConfigsTest {

    @Test
    void everyStackFilePassesItsOwnValidator() throws Exception {
        Process check = new ProcessBuilder("bash", Repository.file("tools/check-configs.sh").toString())
                .directory(Repository.root().toFile())
                .inheritIO()
                .start();

        assertThat(check.waitFor(30, TimeUnit.MINUTES)).as("tools/check-configs.sh finished").isTrue();
        assertThat(check.exitValue()).as("tools/check-configs.sh exit status (its output names the failing check)").isZero();
    }
}
