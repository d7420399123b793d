package bank.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import io.dropwizard.testing.ConfigOverride;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator can turn the admin tasks on (ADMIN_TASKS_ENABLED), and bind the admin port elsewhere. */
class AdminTasksEnabledIT {

    @RegisterExtension
    static final BankApi api = new BankApi(ConfigOverride.config("adminTasksEnabled", "true"),
            ConfigOverride.config("server.adminConnectors[0].bindHost", "0.0.0.0"));

    @Test
    void tasksRunWhenSwitchedOn() {
        api.send(HttpRequest.newBuilder(api.adminUri("/tasks/gc")).POST(HttpRequest.BodyPublishers.noBody()))
                .expect(200);
        assertThat(AdminPortIT.connector(api, "admin").getHost()).isEqualTo("0.0.0.0");
    }
}
