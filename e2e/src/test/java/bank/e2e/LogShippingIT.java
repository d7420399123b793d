package bank.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import bank.e2e.stack.Await;
import bank.e2e.stack.BankClient;
import bank.e2e.stack.LocalStack;
import bank.e2e.stack.PrometheusClient;
import bank.e2e.stack.Report;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Log shipping is watched: while Loki refuses the service's pushes, the service counts them as refused and
 * Prometheus has the count, where the telemetry-health dashboard and the log-shipping alerts read it.
 */
@Order(5)
class LogShippingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String REFUSED = "sum(bank_log_shipping_pushes_total{service_name=\"bank-api\", outcome=\"refused\"})";
    private static final String OK = "sum(bank_log_shipping_pushes_total{service_name=\"bank-api\", outcome=\"ok\"})";

    @Test
    void pushesLokiRefusesAreCountedInPrometheusAndAcceptedOnesResumeAfter() {
        LocalStack stack = LocalStack.get();
        BankClient api = new BankClient(stack::api, stack.apiKey());
        PrometheusClient prometheus = stack.prometheus();
        double refusedBefore = Await.until("the refused-push counter in Prometheus", TIMEOUT, () -> value(prometheus, REFUSED));
        double droppedBefore = Await.until("the dropped-event counter in Prometheus", TIMEOUT,
                () -> value(prometheus, "sum(bank_log_shipping_dropped_events_total{service_name=\"bank-api\"})"));

        // Loki over its limits: every push answered 500 and its lines lost (loki4j retries only 429 and 503).
        stack.loki().refuseWith(500);
        double refusedDuring;
        try {
            refusedDuring = Await.until("refused pushes counted in Prometheus", TIMEOUT, () -> {
                api.get("/v1/accounts?limit=1").expect(200);
                return value(prometheus, REFUSED).filter(refused -> refused > refusedBefore);
            });
        } finally {
            stack.loki().refuseWith(0);
        }
        double okAtRestore = value(prometheus, OK).orElse(0.0);
        double okAfter = Await.until("accepted pushes counted again", TIMEOUT, () -> {
            api.get("/v1/accounts?limit=1").expect(200);
            return value(prometheus, OK).filter(ok -> ok > okAtRestore);
        });
        assertThat(refusedDuring).isGreaterThan(refusedBefore);
        Report.section("Log shipping while Loki refuses", "bank_log_shipping_pushes_total{outcome=\"refused\"}: "
                + refusedBefore + " before, " + refusedDuring + " while the Loki stand-in answered 500;"
                + " accepted pushes after: " + okAfter + "; events dropped for a full queue: " + droppedBefore);
    }

    private static Optional<Double> value(PrometheusClient prometheus, String query) {
        JsonNode result = prometheus.query(query);
        return result.isEmpty() ? Optional.empty() : Optional.of(result.get(0).path("value").get(1).asDouble());
    }
}
