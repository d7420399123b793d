package bank.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import bank.e2e.stack.Await;
import bank.e2e.stack.BankClient;
import bank.e2e.stack.LocalStack;
import bank.e2e.stack.PrometheusClient;
import bank.e2e.stack.Report;
import bank.e2e.standin.LokiStandIn;
import bank.e2e.standin.TempoStandIn.ReceivedSpan;
import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The telemetry pipeline end to end: the service under the real agent, the ocb-built Collector and Prometheus,
 * with stand-ins for Tempo (OTLP) and Loki (push API). Every API endpoint is driven once with a customer whose
 * name and address are distinctive, then each signal is checked where its backend would receive it.
 */
@Order(1)
class TelemetryPipelineIT {

    static final String FIRST_NAME = "Zephyrine";
    static final String LAST_NAME = "Obscurova-Quill";
    static final String ADDRESS = "9 Nowhere Mews, Hidden Vale";
    /** Sent as an API key: it must be refused, and then show up nowhere, like the real key. */
    static final String WRONG_KEY = "bank_sk_SentinelWrongKeyZq7Xv0000000000000000000000";
    /** An amount used once, so that finding it anywhere but in a histogram bucket means it leaked. */
    static final long DISTINCT_AMOUNT = 424_242;
    static final Duration TELEMETRY_TIMEOUT = Duration.ofSeconds(90);
    static final Set<String> API_ROUTES = Set.of("POST /v1/accounts", "GET /v1/accounts", "GET /v1/accounts/{id}",
            "POST /v1/accounts/{id}/transactions", "GET /v1/accounts/{id}/transactions", "POST /v1/transfers",
            "GET /v1/transfers/{id}");
    /** The admin port's health checks, each under a route of its own rather than Dropwizard's catch-all "/*". */
    static final Set<String> ADMIN_ROUTES = Set.of("GET /healthcheck", "GET /ping");

    static LocalStack stack;
    static BankClient api;
    static List<String> accountIds = new ArrayList<>();

    @BeforeAll
    static void driveEveryEndpoint() {
        stack = LocalStack.get();
        api = new BankClient(stack::api, stack.apiKey());
        String customer = "{\"firstName\":\"%s\",\"lastName\":\"%s\",\"address\":\"%s\",\"currency\":\"%s\"}";
        String alice = api.post("/v1/accounts", customer.formatted(FIRST_NAME, LAST_NAME, ADDRESS, "EUR")).expect(201).text("id");
        String bob = api.post("/v1/accounts", customer.formatted(FIRST_NAME, LAST_NAME, ADDRESS, "EUR"),
                "Idempotency-Key", "e2e-open-bob").expect(201).text("id");
        String carol = api.post("/v1/accounts", customer.formatted(FIRST_NAME, LAST_NAME, ADDRESS, "USD")).expect(201).text("id");
        accountIds.addAll(List.of(alice, bob, carol));

        String credit = "{\"type\":\"CREDIT\",\"amount\":" + DISTINCT_AMOUNT + ",\"description\":\"salary\"}";
        api.postKeyed("/v1/accounts/" + alice + "/transactions", credit).expect(201);
        api.postKeyed("/v1/accounts/" + alice + "/transactions", "{\"type\":\"DEBIT\",\"amount\":1000}").expect(201);
        api.postKeyed("/v1/accounts/" + bob + "/transactions", "{\"type\":\"DEBIT\",\"amount\":5}").expect(422);
        String transfer = "{\"fromAccountId\":\"" + alice + "\",\"toAccountId\":\"" + bob + "\",\"amount\":2500}";
        String transferId = api.post("/v1/transfers", transfer, "Idempotency-Key", "e2e-transfer-1").expect(201).text("id");
        api.post("/v1/transfers", transfer, "Idempotency-Key", "e2e-transfer-1").expect(201);
        api.postKeyed("/v1/transfers", "{\"fromAccountId\":\"" + bob + "\",\"toAccountId\":\"" + alice + "\",\"amount\":999999999}").expect(422);
        api.postKeyed("/v1/transfers", "{\"fromAccountId\":\"" + alice + "\",\"toAccountId\":\"" + carol + "\",\"amount\":1}").expect(422);
        api.get("/v1/accounts/" + alice).expect(200);
        api.get("/v1/accounts?limit=2").expect(200);
        api.get("/v1/accounts/" + alice + "/transactions?limit=10").expect(200);
        api.get("/v1/transfers/" + transferId).expect(200);
        api.get("/v1/accounts/01a21f29-ee76-73a3-ba00-57b9fc659254").expect(404);
        api.post("/v1/accounts", "{\"firstName\":\"" + FIRST_NAME + "\"}").expect(422);
        // Refused for their key: a wrong one and none.
        api.withKey(WRONG_KEY).get("/v1/accounts/" + alice).expect(401);
        api.withKey(null).get("/v1/accounts?limit=1").expect(401);
        // Refused before any resource method runs: the route is known from the path alone.
        assertThat(postText(stack.api("/v1/accounts"))).isEqualTo(415);
        assertThat(postText(stack.api("/v1/accounts/" + alice + "/transactions"))).isEqualTo(415);
        for (int i = 0; i < 5; i++) {
            get(stack.admin("/healthcheck"));
            get(stack.admin("/ping"));
            // What compose's container health check asks the API port for (a 404).
            get(stack.api("/"));
        }
    }

    @Test
    void prometheusHoldsEveryExpectedMetricLabelledWithTheService() {
        PrometheusClient prometheus = stack.prometheus();
        Set<String> routes = Await.until("an HTTP histogram series for every API route", TELEMETRY_TIMEOUT, () -> {
            Set<String> seen = new TreeSet<>();
            prometheus.query("count by (http_request_method, http_route) (http_server_request_duration_seconds_count"
                    + "{service_name=\"bank-api\", service_namespace=\"bank\", deployment_environment_name=\"local\", job=\"bank/bank-api\"})")
                    .forEach(series -> seen.add(series.path("metric").path("http_request_method").asText() + " "
                            + series.path("metric").path("http_route").asText()));
            return seen.containsAll(API_ROUTES) && seen.containsAll(ADMIN_ROUTES) ? Optional.of(seen) : Optional.empty();
        });
        assertThat(routes).as("routes of the HTTP server histogram").doesNotContain("GET /*");
        Set<String> refused = Await.until("the 415 responses in the HTTP histogram", TELEMETRY_TIMEOUT, () -> {
            Set<String> seen = new TreeSet<>();
            prometheus.query("count by (http_route) (http_server_request_duration_seconds_count{service_name=\"bank-api\","
                    + " http_response_status_code=\"415\"})").forEach(series -> seen.add(series.path("metric").path("http_route").asText()));
            return seen.size() >= 2 ? Optional.of(seen) : Optional.empty();
        });
        assertThat(refused).as("routes of requests refused with 415").containsExactly("/v1/accounts", "/v1/accounts/{id}/transactions");
        Set<String> unauthenticated = Await.until("the 401 responses in the HTTP histogram", TELEMETRY_TIMEOUT, () -> {
            Set<String> seen = new TreeSet<>();
            prometheus.query("count by (http_route) (http_server_request_duration_seconds_count{service_name=\"bank-api\","
                    + " http_response_status_code=\"401\"})").forEach(series -> seen.add(series.path("metric").path("http_route").asText()));
            return seen.containsAll(List.of("/v1/accounts", "/v1/accounts/{id}")) ? Optional.of(seen) : Optional.empty();
        });
        assertThat(unauthenticated).as("routes of requests refused with 401").doesNotContain("/*");
        Set<String> namespaces = Await.until("db_namespace values", TELEMETRY_TIMEOUT, () -> {
            Set<String> seen = new TreeSet<>();
            prometheus.query("count by (db_namespace) ({service_name=\"bank-api\", db_namespace!=\"\"})")
                    .forEach(series -> seen.add(series.path("metric").path("db_namespace").asText()));
            return seen.isEmpty() ? Optional.empty() : Optional.of(seen);
        });
        // The agent writes database|schema. Without currentSchema in the JDBC URL the operations fell back to the user
        // name for the schema (bank|bank) and the pool metrics to the database alone (bank).
        assertThat(namespaces).as("db_namespace of the service's operations and pool").containsExactly(stack.databaseName() + "|public");

        List<String> expected = List.of(
                "db_client_operation_duration_seconds_count{service_name=\"bank-api\", db_system_name=\"postgresql\"}",
                "db_client_connection_count{service_name=\"bank-api\"}",
                "db_client_connection_limit{service_name=\"bank-api\"}",
                "db_client_connection_pending_requests{service_name=\"bank-api\"}",
                "jvm_memory_used_bytes{service_name=\"bank-api\", jvm_memory_type=\"heap\"}",
                "jvm_gc_duration_seconds_count{service_name=\"bank-api\"}",
                "jvm_thread_count{service_name=\"bank-api\"}",
                "jvm_cpu_recent_utilization_ratio{service_name=\"bank-api\"}",
                "jvm_class_count{service_name=\"bank-api\"}",
                "bank_accounts_opened_total{service_name=\"bank-api\", currency=\"EUR\"}",
                "bank_transactions_total{service_name=\"bank-api\", type=\"credit\", outcome=\"ok\"}",
                "bank_transactions_total{service_name=\"bank-api\", type=\"debit\", outcome=\"insufficient_funds\"}",
                "bank_transfers_total{service_name=\"bank-api\", outcome=\"ok\"}",
                "bank_transfers_total{service_name=\"bank-api\", outcome=\"insufficient_funds\"}",
                "bank_transfers_total{service_name=\"bank-api\", outcome=\"rejected\"}",
                "bank_transfer_amount_bucket{service_name=\"bank-api\", currency=\"EUR\"}",
                "bank_auth_failures_total{service_name=\"bank-api\", reason=\"invalid\"}",
                "bank_auth_failures_total{service_name=\"bank-api\", reason=\"missing\"}",
                "pg_up{service_name=\"postgresql\", service_namespace=\"bank\"} == 1",
                "pg_stat_database_xact_commit_total{service_name=\"postgresql\"}",
                "pg_stat_database_numbackends{service_name=\"postgresql\"}");
        StringBuilder seen = new StringBuilder("HTTP routes: " + routes + "\n\nRoutes of 415 responses: " + refused
                + "\n\ndb_namespace: " + namespaces + "\n\n");
        for (String query : expected) {
            JsonNode series = Await.until(query, TELEMETRY_TIMEOUT, () -> {
                JsonNode result = prometheus.query(query);
                return result.isEmpty() ? Optional.empty() : Optional.of(result.get(0).path("metric"));
            });
            assertThat(series.path("job").asText()).as(query).isNotEmpty();
            seen.append("- `").append(query).append("` -> ").append(series).append('\n');
        }
        Report.section("Metrics in Prometheus", seen.toString());
    }

    /** prometheus.yml's jobs for what does not run here (Alertmanager) are left out, not left down forever. */
    @Test
    void everyScrapeTargetIsAProcessThatRunsAndAnswers() {
        JsonNode targets = Await.until("every active scrape target to be up", TELEMETRY_TIMEOUT, () -> {
            JsonNode active = stack.prometheus().get("/api/v1/targets?state=active").path("data").path("activeTargets");
            for (JsonNode target : active) {
                if (!"up".equals(target.path("health").asText())) {
                    return Optional.empty();
                }
            }
            return active.isEmpty() ? Optional.empty() : Optional.of(active);
        });
        Set<String> jobs = new TreeSet<>();
        targets.forEach(target -> jobs.add(target.path("labels").path("job").asText()));
        assertThat(jobs).containsExactly("otel-collector", "otel-collector-exporter", "prometheus");
    }

    @Test
    void anExemplarLeadsToItsTraceAndItsLogLine() {
        PrometheusClient prometheus = stack.prometheus();
        String exemplarQuery = "http_server_request_duration_seconds_bucket{service_name=\"bank-api\", http_route=\"/v1/transfers\"}";
        // Any transfer's exemplar will do, as long as the request reached the database: the traffic generator's
        // deliberately bad requests are refused before any SQL runs, so their traces have no statements.
        record Linked(JsonNode exemplar, List<ReceivedSpan> trace) {
        }
        Linked linked = Await.until("an exemplar on the transfers histogram whose trace, with its SQL statements,"
                + " is at the Tempo stand-in", TELEMETRY_TIMEOUT, () -> {
            for (JsonNode series : prometheus.exemplars(exemplarQuery, Duration.ofMinutes(10))) {
                for (JsonNode candidate : series.path("exemplars")) {
                    String candidateTraceId = candidate.path("labels").path("trace_id").asText("");
                    List<ReceivedSpan> spans = candidateTraceId.isEmpty() ? List.of() : stack.tempo().trace(candidateTraceId);
                    boolean complete = spans.stream().anyMatch(s -> s.kind() == SpanKind.SPAN_KIND_SERVER
                            && "bank-api".equals(s.resource().get("service.name")))
                            && spans.stream().anyMatch(TelemetryPipelineIT::isStatement);
                    if (complete) {
                        return Optional.of(new Linked(candidate, spans));
                    }
                }
            }
            return Optional.empty();
        });
        JsonNode exemplar = linked.exemplar();
        List<ReceivedSpan> trace = linked.trace();
        String traceId = exemplar.path("labels").path("trace_id").asText();
        assertThat(traceId).matches("[0-9a-f]{32}");

        ReceivedSpan server = trace.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER
                && "bank-api".equals(s.resource().get("service.name"))).findFirst().orElseThrow();
        List<ReceivedSpan> statements = trace.stream().filter(TelemetryPipelineIT::isStatement).toList();
        assertThat(server.attributes()).containsEntry("http.route", "/v1/transfers").containsEntry("http.request.method", "POST");
        assertThat(server.resource()).containsEntry("service.name", "bank-api").containsEntry("service.namespace", "bank")
                .containsEntry("deployment.environment.name", "local");
        // Generated by the agent for each process, and read from the jar's manifest.
        assertThat(server.resource().get("service.instance.id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(server.resource().get("service.version")).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(statements).isNotEmpty();
        Set<String> spanIds = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        assertThat(statements).allSatisfy(statement -> {
            assertThat(spanIds).contains(statement.parentSpanId());
            // Tempo's service graph names the database node after server.address (tempo/tempo.yaml): the JDBC
            // URL's host, "postgres" in compose.
            assertThat(statement.attributes()).containsEntry("server.address", stack.databaseHost());
            String sql = statement.attributes().get("db.query.text");
            assertThat(sql).isNotBlank();
            // Bound as parameters: none of the values the request carried (ids, amount, key) is in the text. The
            // savepoint a keyed POST takes before its work, and the rollback to it when the work is refused, are
            // the statements with nothing to bind.
            if (!sql.matches("(ROLLBACK TO )?SAVEPOINT .*")) {
                assertThat(sql).contains("?");
            }
            assertThat(sql).doesNotContain("2500", "e2e-transfer-1").doesNotMatch("(?s).*[0-9a-f]{8}-[0-9a-f]{4}-.*");
            // The span names docs/observability.md gives: operation and table where the statement has a table; the
            // agent names a savepoint after the database namespace, and a statement without a table after its
            // operation alone (the idempotency key's advisory lock, SELECT pg_try_advisory_xact_lock(?), is "SELECT").
            if (sql.startsWith("SAVEPOINT ")) {
                assertThat(statement.name()).as(sql).isEqualTo(statement.attributes().get("db.namespace"));
            } else if (sql.startsWith("SELECT") && !sql.matches("(?is).*\\b(FROM|INTO)\\b.*")) {
                assertThat(statement.name()).as(sql).isEqualTo("SELECT");
            } else if (sql.startsWith("ROLLBACK TO SAVEPOINT")) {
                assertThat(statement.name()).as(sql).isEqualTo("ROLLBACK");
            } else {
                // Operation and table first; a statement with subqueries goes on with the agent's summary of them.
                assertThat(statement.name()).as(sql).matches("(INSERT|SELECT|UPDATE|DELETE) [a-z_]+( [A-Za-z_]+)*");
            }
        });

        LokiStandIn.Entry line = Await.until("the request's log line at the Loki stand-in", TELEMETRY_TIMEOUT, () ->
                stack.loki().entries().stream()
                        .filter(entry -> traceId.equals(entry.metadata().get("trace_id")))
                        .filter(entry -> entry.line().contains("route=/v1/transfers"))
                        .findFirst());
        assertThat(line.labels()).containsOnlyKeys("service_name", "level", "deployment_environment");
        assertThat(line.labels()).containsEntry("service_name", "bank-api").containsEntry("deployment_environment", "local");
        assertThat(line.metadata()).containsEntry("span_id", server.spanId())
                .containsEntry("service_instance_id", server.resource().get("service.instance.id"));
        // The request's client, by id, on its span and in its log line; never the key.
        String clientId = server.attributes().get("bank.client.id");
        assertThat(clientId).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(line.line()).contains(" client=" + clientId + " ");

        Report.section("An exemplar, its trace and its log line", """
                exemplar on `%s`: %s

                trace %s at the Tempo stand-in:
                %s

                log line at the Loki stand-in: labels %s, structured metadata %s
                    %s
                """.formatted(exemplarQuery, exemplar, traceId,
                trace.stream().map(s -> "- " + s.kind() + " `" + s.name() + "` " + (s.attributes().containsKey("db.query.text")
                        ? "`" + s.attributes().get("db.query.text") + "` server.address=" + s.attributes().get("server.address")
                                + " db.namespace=" + s.attributes().get("db.namespace")
                        : s.attributes().getOrDefault("http.route", "")))
                        .collect(Collectors.joining("\n")),
                line.labels(), line.metadata(), line.line()));
    }

    /**
     * The Request-Id a client quotes is the trace id of the server span the agent exported, and traceresponse names
     * that very span; the request's log line at Loki carries the same id, as structured metadata and in its text.
     */
    @Test
    void aRequestIdIsTheTraceIdOfItsServerSpanAndFindsItsLogLine() {
        BankClient.Reply reply = api.get("/v1/accounts/01a21f29-ee76-73a3-ba00-57b9fc659255").expect(404);
        String requestId = reply.header("Request-Id");
        String traceresponse = reply.header("traceresponse");
        assertThat(requestId).matches("[0-9a-f]{32}");
        assertThat(reply.json().path("requestId").asText()).isEqualTo(requestId);
        // Sampled (bit 0); the agent also sets Trace Context Level 2's random-trace-id flag (bit 1): 03.
        assertThat(traceresponse).matches("00-" + requestId + "-[0-9a-f]{16}-0[13]");
        String spanId = traceresponse.substring(36, 52);

        ReceivedSpan server = Await.until("the server span of request " + requestId + " at the Tempo stand-in",
                TELEMETRY_TIMEOUT, () -> stack.tempo().trace(requestId).stream()
                        .filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER && "bank-api".equals(s.resource().get("service.name")))
                        .findFirst());
        assertThat(server.traceId()).isEqualTo(requestId);
        assertThat(server.spanId()).isEqualTo(spanId);
        assertThat(server.attributes()).containsEntry("http.route", "/v1/accounts/{id}")
                .containsEntry("http.response.status_code", "404");

        LokiStandIn.Entry line = Await.until("the log line of request " + requestId + " at the Loki stand-in",
                TELEMETRY_TIMEOUT, () -> stack.loki().entries().stream()
                        .filter(entry -> requestId.equals(entry.metadata().get("trace_id")))
                        .filter(entry -> entry.line().contains("request method="))
                        .findFirst());
        assertThat(line.line()).contains("route=/v1/accounts/{id} status=404 ", " request_id=" + requestId);
        assertThat(line.metadata()).containsEntry("span_id", spanId);

        Report.section("A Request-Id followed to its span and its log line", """
                response: %d, Request-Id: %s, traceresponse: %s
                body: %s

                server span at the Tempo stand-in: trace %s, span %s, `%s`, attributes %s

                log line at the Loki stand-in (`{service_name="bank-api"} | trace_id="%s"`): structured metadata %s
                    %s
                """.formatted(reply.status(), requestId, traceresponse, reply.body(), server.traceId(), server.spanId(),
                server.name(), server.attributes(), requestId, line.metadata(), line.line()));
    }

    private static boolean isStatement(ReceivedSpan span) {
        return span.kind() == SpanKind.SPAN_KIND_CLIENT && "postgresql".equals(span.attributes().get("db.system.name"));
    }

    @Test
    void healthChecksAndStatementsOutsideRequestsMakeNoTraces() {
        // A request made after the health checks: once its trace has arrived, theirs would have too.
        String marker = api.get("/v1/accounts?limit=1").expect(200).body();
        assertThat(marker).isNotEmpty();
        Await.untilTrue("the marker request's trace", TELEMETRY_TIMEOUT, () -> stack.tempo().spans().stream()
                .anyMatch(s -> "/v1/accounts".equals(s.attributes().get("http.route"))
                        && "GET".equals(s.attributes().get("http.request.method"))));

        // The service's own spans: the traffic generator's client spans are roots by nature.
        List<ReceivedSpan> spans = stack.tempo().spans().stream()
                .filter(s -> "bank-api".equals(s.resource().get("service.name"))).toList();
        assertThat(spans).noneMatch(s -> String.valueOf(s.attributes().get("url.path")).matches("/(healthcheck|ping).*|/"));
        assertThat(spans).filteredOn(ReceivedSpan::isRoot)
                .allSatisfy(root -> assertThat(root.kind()).as(root.name()).isIn(SpanKind.SPAN_KIND_SERVER, SpanKind.SPAN_KIND_INTERNAL));
        assertThat(spans).noneMatch(s -> String.valueOf(s.attributes().get("db.query.text")).contains("SELECT 1"));
    }

    @Test
    void noPersonalDataOrKeysInLogsSpansOrLabelsAndNoIdsOrAmountsInLabels() {
        Await.untilTrue("log lines and spans to arrive", TELEMETRY_TIMEOUT,
                () -> stack.loki().entries().size() > 10 && stack.tempo().spans().size() > 10);
        Await.untilTrue("the log line of the request with the wrong key", TELEMETRY_TIMEOUT, () -> stack.loki().entries()
                .stream().anyMatch(entry -> entry.line().contains("route=/v1/accounts/{id} status=401 client=-")));
        // The sentinel, and the real key without its well-known prefix: the key the stack bootstraps with.
        List<String> personal = List.of(FIRST_NAME, LAST_NAME, ADDRESS, "Sentinel", stack.apiKey().substring(8));

        for (LokiStandIn.Entry entry : stack.loki().entries()) {
            assertThat(entry.line() + entry.labels() + entry.metadata()).doesNotContain(personal);
        }
        for (ReceivedSpan span : stack.tempo().spans()) {
            assertThat(span.name() + span.attributes() + span.resource()).doesNotContain(personal);
        }
        List<String> labelValues = new ArrayList<>();
        for (JsonNode label : stack.prometheus().get("/api/v1/labels").path("data")) {
            stack.prometheus().get("/api/v1/label/" + label.asText() + "/values").path("data")
                    .forEach(value -> labelValues.add(label.asText() + "=" + value.asText()));
        }
        assertThat(labelValues).hasSizeGreaterThan(50);
        List<String> forbidden = new ArrayList<>(personal);
        forbidden.addAll(accountIds);
        forbidden.add(Long.toString(DISTINCT_AMOUNT));
        assertThat(labelValues).allSatisfy(value -> assertThat(value).doesNotContain(forbidden));
    }

    private static int postText(URI uri) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("amount=5")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void get(URI uri) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
