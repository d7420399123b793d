package bank.db;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthCheckIT {

    @RegisterExtension
    static final BankApi api = new BankApi();

    @Test
    void theAdminPortReportsTheDatabaseHealthy() {
        var reply = api.send(HttpRequest.newBuilder(api.adminUri("/healthcheck")).GET()).expect(200);

        assertThat(reply.body().get("postgresql").get("healthy").asBoolean()).isTrue();
        assertThat(reply.body().get("deadlocks").get("healthy").asBoolean()).isTrue();
    }

    @Test
    void theAdminPortAnswersPing() {
        var reply = api.send(HttpRequest.newBuilder(api.adminUri("/ping")).GET()).expect(200);

        assertThat(reply.raw().strip()).isEqualTo("pong");
    }

    @Test
    void theDatabaseHealthCheckSendsNoSqlStatement() {
        // Connection checks use Connection.isValid(), so they never show up as database spans or queries.
        assertThat(api.app().getConfiguration().getDataSourceFactory().getValidationQuery()).isEmpty();
        assertThat(api.app().getConfiguration().getDataSourceFactory().getCheckConnectionOnBorrow()).isTrue();
    }
}
