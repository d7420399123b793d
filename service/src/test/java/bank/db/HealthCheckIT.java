package bank.db;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthCheckIT {

    /** The names of the threads of Dropwizard's health check executor. */
    private static final Pattern HEALTH_CHECK_THREADS = Pattern.compile("pool-\\d+-thread-\\d+");

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

    /**
     * Watches what the driver sends while the admin port runs its checks: the database check borrows a connection
     * and asks {@code Connection.isValid()}, which the driver answers with an empty statement, so no SQL text
     * reaches the server, and the checks never show up as queries in the database's statistics or as spans.
     */
    @Test
    void theDatabaseHealthCheckSendsOnlyTheDriversEmptyStatement() {
        List<String> sent = new CopyOnWriteArrayList<>();
        Handler driverMessages = new Handler() {
            private final Formatter text = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                String message = text.formatMessage(record);
                // Dropwizard runs health checks on an executor whose threads have the JDK's default names; requests
                // run on Jetty's threads and the service's jobs on threads named after them.
                if (HEALTH_CHECK_THREADS.matcher(Thread.currentThread().getName()).matches()
                        && (message.contains("FE=> Parse(") || message.contains("FE=> SimpleQuery("))) {
                    sent.add(message.strip());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger driver = Logger.getLogger("org.postgresql");
        Level level = driver.getLevel();
        driver.setLevel(Level.FINEST);
        driver.addHandler(driverMessages);
        try {
            var reply = api.send(HttpRequest.newBuilder(api.adminUri("/healthcheck")).GET()).expect(200);
            assertThat(reply.body().get("postgresql").get("healthy").asBoolean()).isTrue();
        } finally {
            driver.removeHandler(driverMessages);
            driver.setLevel(level);
        }

        assertThat(sent).as("statements the health check sent").isNotEmpty()
                .allSatisfy(message -> assertThat(message).contains("query=\"\""));
        assertThat(api.app().getConfiguration().getDataSourceFactory().getValidationQuery()).isEmpty();
        assertThat(api.app().getConfiguration().getDataSourceFactory().getCheckConnectionOnBorrow()).isTrue();
    }
}
