package bank.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import bank.e2e.stack.Await;
import bank.e2e.stack.BankClient;
import bank.e2e.stack.Command;
import bank.e2e.stack.LocalStack;
import bank.e2e.stack.PrometheusClient;
import bank.e2e.stack.Report;
import bank.e2e.stack.Repository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Every PromQL expression in every dashboard, in the Tempo data source's trace-to-metrics links and in every
 * rule, evaluated against the live Prometheus fed by the real agent and Collector under steady traffic. Grafana
 * variables are substituted by tools/query-lint, which also checks the syntax of every query (PromQL, LogQL,
 * TraceQL), the variables each uses, and the data source uids each references.
 */
@Order(2)
class DashboardQueriesIT {

    /** Expressions that cannot return data here, and why. Anything else must. */
    private static final Map<String, String> CANNOT_HAVE_DATA_HERE = Map.of(
            "traces_service_graph_", "Tempo's metrics-generator writes it; Tempo runs only in compose",
            "traces_spanmetrics_", "Tempo's metrics-generator writes it; Tempo runs only in compose",
            "job=\"loki\"", "Loki's own metrics; Loki runs only in compose (its scrape job is checked by ComposeWiringTest)",
            "job=\"tempo\"", "Tempo's own metrics; Tempo runs only in compose (its scrape job is checked by ComposeWiringTest)",
            "ALERTS{alertstate=\"firing\", alertname!=\"Watchdog\"}", "fault-only: has data while an alert fires, and none fires on a healthy stack",
            "offset 10m", "the deploy annotation: has data only in the 10 minutes after a service.version first runs,"
                    + " which a slow start-up of the suite can outlast");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalStack stack;
    private static List<JsonNode> expressions;

    @BeforeAll
    static void lintAndCollect() throws Exception {
        stack = LocalStack.get();
        Path lint = Repository.file("tools/query-lint");
        if (!Files.isDirectory(lint.resolve("node_modules"))) {
            Command.run("query-lint-npm-ci", List.of("npm", "ci", "--prefix", lint.toString()), Duration.ofMinutes(10))
                    .assertSucceeded();
        }
        Path emitted = Repository.file("e2e/target/promql.json");
        // The database dashboard's $database variable saves compose's "bank"; this stack's database is another.
        // A failure here is tools/query-lint finding an invalid query, variable or data source uid.
        Command.run("query-lint", List.of("node", lint.resolve("lint.mjs").toString(), "--emit-promql", emitted.toString(),
                "--var", "database=" + stack.databaseName()), Duration.ofMinutes(5)).assertSucceeded();
        expressions = new ArrayList<>();
        JSON.readTree(emitted.toFile()).forEach(expressions::add);
        assertThat(expressions).hasSizeGreaterThan(50);
        failOneStatement();
    }

    /**
     * The database dashboard's "Failed queries by error type" has data only once a statement has failed, and no
     * request of the steady traffic makes one fail. So one is made to, as it would in production: a credit to an
     * account whose row another session holds locked for longer than the service's lock_timeout (3 s,
     * service/config.yml). Its statement ends with SQLSTATE 55P03, and the client gets a 503 it may retry.
     */
    private static void failOneStatement() throws SQLException {
        BankClient api = new BankClient(stack::api, stack.apiKey());
        String account = api.post("/v1/accounts", "{\"firstName\":\"Row\",\"lastName\":\"Lock\"}").expect(201).text("id");
        try (Connection holder = stack.databaseConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM accounts WHERE id = ?::uuid FOR UPDATE")) {
                lock.setString(1, account);
                assertThat(lock.executeQuery().next()).isTrue();
            }
            BankClient.Reply credit = api.post("/v1/accounts/" + account + "/transactions",
                    "{\"type\":\"CREDIT\",\"amount\":100}", "Idempotency-Key", "row-lock-" + UUID.randomUUID());
            assertThat(credit.status()).as("a credit that waited out the lock timeout; body: %s", credit.body())
                    .isEqualTo(503);
            assertThat(credit.header("Content-Type")).startsWith("application/problem+json");
            holder.rollback();
        }
        assertThat(api.get("/v1/accounts/" + account).expect(200).json().path("balance").asLong())
                .as("the balance after the refused credit").isZero();
    }

    @Test
    void everyDashboardAndLinkQueryReturnsDataUnlessItCannotHere() {
        List<JsonNode> queries = expressions.stream().filter(e -> !e.path("source").asText().equals("rule")).toList();
        Duration checkStartedAfter = Duration.between(stack.serviceHealthyAt(), Instant.now());
        Map<String, String> results = evaluateUntilData(queries);
        Duration doneAfter = Duration.between(stack.serviceHealthyAt(), Instant.now());

        List<String> missing = new ArrayList<>();
        Map<String, int[]> perFile = new TreeMap<>();
        StringBuilder excused = new StringBuilder();
        for (JsonNode query : queries) {
            String expr = query.path("expr").asText();
            String where = where(query);
            int[] counts = perFile.computeIfAbsent(query.path("file").asText(), f -> new int[3]);
            counts[0]++;
            if (results.get(expr).equals("data")) {
                counts[1]++;
            } else if (reason(expr) != null) {
                counts[2]++;
                excused.append("- ").append(where).append(": `").append(expr.replace("\n", " "))
                        .append("` (").append(reason(expr)).append(")\n");
            } else {
                missing.add(where + ": " + expr);
            }
        }
        StringBuilder table = new StringBuilder("| file | queries | with data | cannot have data here |\n|---|---|---|---|\n");
        perFile.forEach((file, c) -> table.append("| ").append(file).append(" | ").append(c[0]).append(" | ")
                .append(c[1]).append(" | ").append(c[2]).append(" |\n"));
        String timing = String.format("%s %d s after the service first answered its health check and the traffic"
                + " generator started (the check began at %d s, after the tests before it).%n%n",
                missing.isEmpty() ? "Every query that can have data had it" : "Queries still without data",
                doneAfter.toSeconds(), checkStartedAfter.toSeconds());
        Report.section("Dashboard and data source queries against the live Prometheus", timing + table + "\n" + excused);
        assertThat(missing).as("queries that returned no data").isEmpty();
    }

    /**
     * A just-started JVM answers its first requests slowly, so for a few minutes a 5-minute p99 can be above
     * its objective on a perfectly healthy stack. That is what an alert's {@code for} is for: an expression
     * that is true right now is accepted only if its alert waits at least this long before firing.
     */
    private static final Duration LONGEST_START_UP_TRANSIENT = Duration.ofMinutes(5);

    /** The dead man's switch (prometheus/rules/monitoring.rules.yml): the one alert that fires on a healthy stack. */
    private static final String ALWAYS_FIRING = "Watchdog";

    @Test
    void recordingRulesProduceDataAndNoAlertFiresOnAHealthyStack() {
        List<JsonNode> rules = expressions.stream().filter(e -> e.path("source").asText().equals("rule")).toList();
        List<JsonNode> recordings = rules.stream().filter(r -> r.path("rule").asText().contains(":")).toList();
        PrometheusClient prometheus = stack.prometheus();

        for (JsonNode recording : recordings) {
            String name = recording.path("rule").asText();
            Await.untilTrue("recorded series " + name, Duration.ofSeconds(90),
                    () -> !prometheus.query(name).isEmpty() && !prometheus.query(recording.path("expr").asText()).isEmpty());
        }
        StringBuilder report = new StringBuilder("Recording rules with data: " + recordings.size() + "\n\n");
        int loadedRules = 0;
        for (JsonNode group : prometheus.get("/api/v1/rules").path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                loadedRules++;
                String name = rule.path("name").asText();
                assertThat(rule.path("health").asText()).as(name + ": " + rule.path("lastError")).isEqualTo("ok");
                if (!rule.path("type").asText().equals("alerting")) {
                    continue;
                }
                if (name.equals(ALWAYS_FIRING)) {
                    assertThat(rule.path("state").asText()).as("state of the dead man's switch %s", name).isEqualTo("firing");
                    report.append("- ").append(name).append(": firing, as it always must\n");
                    continue;
                }
                assertThat(rule.path("state").asText()).as("state of alert %s on a healthy stack", name).isNotEqualTo("firing");
                JsonNode trueNow = prometheus.query(rule.path("query").asText());
                Duration waits = Duration.ofSeconds(rule.path("duration").asLong());
                if (trueNow.isEmpty()) {
                    report.append("- ").append(name).append(": evaluated, quiet\n");
                } else {
                    assertThat(waits).as("alert %s is true on a healthy stack (%s) and would fire after %s", name, trueNow, waits)
                            .isGreaterThanOrEqualTo(LONGEST_START_UP_TRANSIENT);
                    report.append(String.format("- %s: evaluated, true during start-up (%s), %s; its `for` of %d min"
                            + " outlasts start-up%n", name, trueNow.get(0).path("value").get(1).asText(),
                            rule.path("state").asText(), waits.toMinutes()));
                }
            }
        }
        assertThat(loadedRules).isEqualTo(rules.size());
        Report.section("Rules", report.toString());
    }

    /**
     * A panel that groups by a label the metric does not carry still "has data": one series with no labels, which
     * Grafana draws as a single line named {@code {}}. So every query that groups ({@code by (...)}), names labels in
     * its legend ({@code {{label}}}) or turns labels into table columns must return them, non-empty, on every series;
     * and so must the series an alert rule filters, for the {@code $labels} its annotations name.
     */
    @Test
    void everyGroupingLegendAndColumnLabelIsOnEverySeries() {
        List<JsonNode> labelled = expressions.stream().filter(q -> !requiredLabels(q).isEmpty()).toList();
        PrometheusClient prometheus = stack.prometheus();
        Map<JsonNode, JsonNode> results = new LinkedHashMap<>();
        // The queries still without series when time runs out are reported below.
        Await.untilTrueOrTimeout("labelled queries that can have data to return series", Duration.ofSeconds(120), () -> {
            for (JsonNode query : labelled) {
                JsonNode result = results.get(query);
                if (result == null || result.isEmpty()) {
                    results.put(query, prometheus.query(query.path("valueExpr").asText(query.path("expr").asText())));
                }
            }
            return labelled.stream().allMatch(q -> !results.get(q).isEmpty() || reason(q.path("expr").asText()) != null
                    || q.path("source").asText().equals("rule"));
        });

        List<String> problems = new ArrayList<>();
        Map<String, int[]> perSource = new TreeMap<>();
        StringBuilder unchecked = new StringBuilder();
        for (JsonNode query : labelled) {
            String where = query.path("dashboardTitle").asText(query.path("file").asText()) + " / "
                    + query.path("panel").asText(query.path("rule").asText(query.path("query").asText()));
            int[] counts = perSource.computeIfAbsent(query.path("dashboardTitle").asText(query.path("file").asText()),
                    f -> new int[2]);
            counts[0]++;
            JsonNode series = results.getOrDefault(query, JSON.createArrayNode());
            if (series.isEmpty()) {
                if (reason(query.path("expr").asText()) == null && !query.path("source").asText().equals("rule")) {
                    problems.add(where + ": no series to check for labels " + requiredLabels(query));
                } else {
                    unchecked.append("- ").append(where).append(": no series here to check ")
                            .append(requiredLabels(query)).append('\n');
                }
                continue;
            }
            List<String> missing = new ArrayList<>();
            for (JsonNode one : series) {
                for (String label : requiredLabels(query)) {
                    if (one.path("metric").path(label).asText("").isEmpty()) {
                        missing.add(label + " on " + one.path("metric"));
                    }
                }
            }
            if (missing.isEmpty()) {
                counts[1]++;
            } else {
                problems.add(where + " (`" + query.path("expr").asText().replace("\n", " ") + "`): "
                        + String.join("; ", missing.stream().distinct().limit(5).toList()));
            }
        }
        StringBuilder table = new StringBuilder("| dashboard, data source or rules | grouped or labelled queries |"
                + " with every label on every series |\n|---|---|---|\n");
        perSource.forEach((source, c) -> table.append("| ").append(source).append(" | ").append(c[0]).append(" | ")
                .append(c[1]).append(" |\n"));
        Report.section("Grouping, legend and column labels on live series", table + "\n" + unchecked);
        assertThat(problems).as("queries whose series lack a label they group by, name in a legend or show as a column")
                .isEmpty();
    }

    /** The labels a query promises: grouping, legend, table column and alert annotation labels, as query-lint found them. */
    private static Set<String> requiredLabels(JsonNode query) {
        Set<String> labels = new TreeSet<>();
        for (String field : List.of("groupBy", "legendLabels", "columnLabels", "annotationLabels")) {
            query.path(field).forEach(label -> labels.add(label.asText()));
        }
        return labels;
    }

    /** Evaluates each expression until it returns a sample that is a number, or a deadline passes. */
    private static Map<String, String> evaluateUntilData(List<JsonNode> queries) {
        PrometheusClient prometheus = stack.prometheus();
        Map<String, String> results = new LinkedHashMap<>();
        queries.forEach(q -> results.put(q.path("expr").asText(), "empty"));
        // Reported below, query by query.
        Await.untilTrueOrTimeout("every query that can have data to have it", Duration.ofSeconds(120), () -> {
            results.replaceAll((expr, result) ->
                    result.equals("data") || hasNumbers(prometheus.query(expr)) ? "data" : "empty");
            return results.entrySet().stream().allMatch(e -> e.getValue().equals("data") || reason(e.getKey()) != null);
        });
        return results;
    }

    private static boolean hasNumbers(JsonNode result) {
        for (JsonNode series : result) {
            JsonNode value = series.has("value") ? series.path("value").get(1) : null;
            if (value != null && !value.asText().equals("NaN")) {
                return true;
            }
        }
        return false;
    }

    private static String reason(String expr) {
        return CANNOT_HAVE_DATA_HERE.entrySet().stream().filter(e -> expr.contains(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static String where(JsonNode query) {
        return query.path("file").asText() + " " + query.path("panel").asText(query.path("variable").asText(
                query.path("annotation").asText(query.path("query").asText())));
    }
}
