package bank.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import bank.e2e.stack.Await;
import bank.e2e.stack.BankClient;
import bank.e2e.stack.LocalStack;
import bank.e2e.stack.PrometheusClient;
import bank.e2e.stack.Report;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The ledger audit, end to end: a balance changed behind the service's back in its database reaches the live
 * Prometheus as {@code bank_ledger_audit_violations{check="balance"}} through the real agent and Collector,
 * and the alert rule as Prometheus loaded it fires. Repairing the row makes both quiet again. Runs after the
 * suites that require a healthy stack with no alert firing.
 */
@Order(4)
class LedgerAuditAlertIT {

    private static final String ALERT = "BankLedgerInvariantViolated";
    private static final String BALANCE_VIOLATIONS =
            "bank_ledger_audit_violations{service_name=\"bank-api\", check=\"balance\"}";
    private static final Duration SIGNAL_TIMEOUT = Duration.ofMinutes(2);

    @Test
    void aBalanceChangedBehindTheServicesBackFiresTheAlertUntilItIsRepaired() throws Exception {
        LocalStack stack = LocalStack.get();
        PrometheusClient prometheus = stack.prometheus();
        BankClient api = new BankClient(stack::api, stack.apiKey());
        String account = api.post("/v1/accounts", "{\"firstName\":\"Audit\",\"lastName\":\"Trail\"}").expect(201).text("id");
        api.post("/v1/accounts/" + account + "/transactions", "{\"type\":\"CREDIT\",\"amount\":5000}",
                "Idempotency-Key", "ledger-audit-" + UUID.randomUUID()).expect(201);
        String alertExpression = alertRule(prometheus).path("query").asText();

        Await.untilTrue("the audit to report a healthy ledger to Prometheus", SIGNAL_TIMEOUT,
                () -> value(prometheus.query(BALANCE_VIOLATIONS)).filter(v -> v == 0).isPresent());
        assertThat(prometheus.query(alertExpression)).as("the alert expression on a healthy ledger").isEmpty();

        Instant corrupted = Instant.now();
        changeBalance(stack, account, +1);
        Duration metricAfter;
        Duration firingAfter;
        try {
            Await.untilTrue("one balance violation in Prometheus", SIGNAL_TIMEOUT,
                    () -> value(prometheus.query(BALANCE_VIOLATIONS)).filter(v -> v == 1).isPresent());
            metricAfter = Duration.between(corrupted, Instant.now());
            JsonNode firing = Await.until("the alert expression to select the balance check", SIGNAL_TIMEOUT,
                    () -> Optional.of(prometheus.query(alertExpression)).filter(result -> !result.isEmpty()));
            assertThat(firing).singleElement().satisfies(series -> {
                assertThat(series.path("metric").path("check").asText()).isEqualTo("balance");
                assertThat(series.path("metric").has("account_id")).isFalse();
            });
            Await.untilTrue(ALERT + " firing", SIGNAL_TIMEOUT,
                    () -> alertRule(prometheus).path("state").asText().equals("firing"));
            firingAfter = Duration.between(corrupted, Instant.now());
        } finally {
            changeBalance(stack, account, -1);
        }

        Instant repaired = Instant.now();
        Await.untilTrue(ALERT + " to resolve after the repair", SIGNAL_TIMEOUT,
                () -> prometheus.query(alertExpression).isEmpty() && alertRule(prometheus).path("state").asText().equals("inactive"));
        Report.section("Ledger audit alert", """
                A balance changed with plain SQL (audit every 2 s here, agent export every 5 s, scrape and rule \
                evaluation every 10 s):

                - one `balance` violation in Prometheus after %.1f s;
                - `%s` firing after %.1f s;
                - quiet again %.1f s after the row was repaired.
                """.formatted(metricAfter.toMillis() / 1000.0, ALERT, firingAfter.toMillis() / 1000.0,
                Duration.between(repaired, Instant.now()).toMillis() / 1000.0));
    }

    private static JsonNode alertRule(PrometheusClient prometheus) {
        for (JsonNode group : prometheus.get("/api/v1/rules?type=alert").path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.path("name").asText().equals(ALERT)) {
                    return rule;
                }
            }
        }
        throw new AssertionError(ALERT + " is not loaded in Prometheus");
    }

    private static Optional<Double> value(JsonNode result) {
        return result.isEmpty() ? Optional.empty() : Optional.of(result.get(0).path("value").get(1).asDouble());
    }

    private static void changeBalance(LocalStack stack, String account, long by) throws SQLException {
        try (Connection connection = stack.databaseConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE accounts SET balance = balance + ? WHERE id = ?::uuid")) {
            update.setLong(1, by);
            update.setString(2, account);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
