package bank.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import bank.e2e.stack.Await;
import bank.e2e.stack.BankClient;
import bank.e2e.stack.LocalStack;
import bank.e2e.stack.LocalStack.ServiceInstance;
import bank.e2e.stack.PrometheusClient;
import bank.e2e.stack.Report;
import bank.e2e.standin.LokiStandIn;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Two processes of the service with compose's environment, as two replicas run: each is its own instance in
 * Prometheus (its own {@code instance} label, from the service.instance.id the agent generates), with its
 * service.version in target_info, and its log lines name the same instance.
 */
@Order(5)
class ServiceInstancesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void twoProcessesOfTheServiceAreTwoInstancesInMetricsAndLogs() {
        LocalStack stack = LocalStack.get();
        BankClient first = new BankClient(stack::api, stack.apiKey());
        ServiceInstance second = stack.startAnotherServiceInstance("bank-api-second");
        try {
            BankClient secondClient = new BankClient(second::api, stack.apiKey());
            PrometheusClient prometheus = stack.prometheus();
            String query = "sum by (instance) (http_server_request_duration_seconds_count{service_name=\"bank-api\","
                    + " job=\"bank/bank-api\", http_route=\"/v1/accounts\", http_request_method=\"GET\"})";
            Map<String, Double> perInstance = Await.until("GET /v1/accounts counted under two instances", TIMEOUT, () -> {
                first.get("/v1/accounts?limit=1").expect(200);
                secondClient.get("/v1/accounts?limit=1").expect(200);
                Map<String, Double> seen = new TreeMap<>();
                for (JsonNode series : prometheus.query(query)) {
                    seen.put(series.path("metric").path("instance").asText(), series.path("value").get(1).asDouble());
                }
                return seen.size() >= 2 ? Optional.of(seen) : Optional.empty();
            });
            assertThat(perInstance).hasSize(2);
            assertThat(perInstance.keySet()).allSatisfy(instance -> assertThat(instance).matches(UUID));
            assertThat(perInstance.values()).allSatisfy(count -> assertThat(count).isPositive());

            // The version of the build, one per instance, where the dashboards' deploy annotation reads it.
            JsonNode versions = Await.until("target_info with service_version for both instances", TIMEOUT, () -> {
                JsonNode result = prometheus.query("group by (instance, service_version) (target_info{job=\"bank/bank-api\","
                        + " instance=~\"" + String.join("|", perInstance.keySet()) + "\", service_version!=\"\"})");
                return result.size() == 2 ? Optional.of(result) : Optional.empty();
            });
            assertThat(versions).allSatisfy(series -> assertThat(series.path("metric").path("service_version").asText())
                    .matches("\\d+\\.\\d+\\.\\d+.*"));

            // Log lines name the instance that wrote them, as structured metadata, never as a stream label.
            Map<String, LokiStandIn.Entry> linePerInstance = Await.until("request log lines of both instances", TIMEOUT, () -> {
                Map<String, LokiStandIn.Entry> seen = new TreeMap<>();
                for (LokiStandIn.Entry entry : stack.loki().entries()) {
                    String instance = entry.metadata().get("service_instance_id");
                    if (entry.line().contains("route=/v1/accounts ") && perInstance.containsKey(instance)) {
                        seen.putIfAbsent(instance, entry);
                    }
                }
                return seen.size() == 2 ? Optional.of(seen) : Optional.empty();
            });
            assertThat(linePerInstance.values()).allSatisfy(line -> assertThat(line.labels())
                    .containsOnlyKeys("service_name", "level", "deployment_environment"));

            Report.section("Two instances of the service", "Requests counted per instance: " + perInstance
                    + "\n\ntarget_info: " + versions + "\n\nInstances named by request log lines: " + linePerInstance.keySet());
        } finally {
            second.process().close();
        }
    }
}
