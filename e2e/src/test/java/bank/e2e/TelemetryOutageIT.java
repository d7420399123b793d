package bank.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import bank.e2e.stack.Await;
import bank.e2e.stack.BankClient;
import bank.e2e.stack.BankClient.Reply;
import bank.e2e.stack.LocalStack;
import bank.e2e.stack.Report;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Telemetry never hurts the API: with the Collector stopped and Loki refusing connections, every request still
 * succeeds and the service's memory stays bounded (the agent's and loki4j's queues are bounded and drop). When
 * both come back, spans, log lines and metrics flow again. Latencies are recorded in the report for reading;
 * they are not asserted, as no test here asserts wall-clock time.
 */
@Order(3)
class TelemetryOutageIT {

    private static final int REQUESTS = 1_500;
    private static final long KIB = 1024;
    /** The agent's span queue: otel.bsp.max.queue.size, left at its default (the stack sets no OTEL_BSP_*). */
    private static final long SPAN_QUEUE = 2_048;
    /** A generous size for a queued span of this service: a dozen attributes, no events. */
    private static final long SPAN_BYTES = 2 * KIB;
    /**
     * A generous size for one request log line in loki4j's send queue. Its cap (20 MiB, LokiAppenderFactory's
     * default) is more than the outage logs, so every line may be held: one per request.
     */
    private static final long LOG_LINE_BYTES = KIB;
    /** What a full GC may leave behind that is not telemetry (JIT, pools, buffers): before and after differ by it. */
    private static final long ALLOWANCE = 4 * KIB * KIB;
    /**
     * The most the queues can hold, plus the allowance: about 9.5 MiB (runs so far grew by less than zero). Each
     * of the outage's requests makes several spans (the server span and one per statement), so a span queue
     * without bound would keep thousands of spans beyond its 2 048 and grow past this.
     */
    private static final long HEAP_GROWTH_LIMIT = SPAN_QUEUE * SPAN_BYTES + REQUESTS * LOG_LINE_BYTES + ALLOWANCE;

    @Test
    void theApiKeepsServingWhileTelemetryIsDownAndTelemetryResumesAfter() throws Exception {
        LocalStack stack = LocalStack.get();
        BankClient api = new BankClient(stack::api, stack.apiKey());
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String account = api.post("/v1/accounts", "{\"firstName\":\"Out\",\"lastName\":\"Age\"}").expect(201).text("id");
            api.postKeyed("/v1/accounts/" + account + "/transactions", "{\"type\":\"CREDIT\",\"amount\":100000000}").expect(201);
            accounts.add(account);
        }
        List<Long> healthy = load(api, accounts);
        long heapBefore = heapAfterGc(stack);

        stack.stopCollector();
        stack.loki().stop();
        List<Long> outage = load(api, accounts);
        long heapDuring = heapAfterGc(stack);

        Report.section("Latency with and without telemetry backends (not asserted)", """
                %d requests each, 4 client threads, same mix of reads and writes.

                | | p50 ms | p95 ms | p99 ms |
                |---|---|---|---|
                | Collector and Loki up | %s |
                | Collector stopped, Loki refusing | %s |

                Heap used after GC: %d MiB before the outage, %d MiB after %d requests during it.
                """.formatted(REQUESTS, percentiles(healthy), percentiles(outage), heapBefore >> 20, heapDuring >> 20, REQUESTS));
        assertThat(heapDuring - heapBefore).as("heap growth while telemetry is down").isLessThan(HEAP_GROWTH_LIMIT);

        long resumedAtNanos = System.currentTimeMillis() * 1_000_000L;
        double openedBefore = accountsOpened(stack);
        stack.loki().start();
        stack.startCollector();
        for (int i = 0; i < 3; i++) {
            api.post("/v1/accounts", "{\"firstName\":\"Back\",\"lastName\":\"Again\"}").expect(201);
        }

        Await.untilTrue("new spans at the Tempo stand-in", Duration.ofSeconds(90), () -> stack.tempo().spans().stream()
                .anyMatch(s -> s.startNanos() > resumedAtNanos && "bank-api".equals(s.resource().get("service.name"))));
        Await.untilTrue("new log lines at the Loki stand-in", Duration.ofSeconds(90), () -> stack.loki().entries().stream()
                .anyMatch(e -> e.timestampNanos() > resumedAtNanos && e.line().contains("route=/v1/accounts")));
        Await.untilTrue("the accounts-opened counter to move on in Prometheus", Duration.ofSeconds(90),
                () -> accountsOpened(stack) >= openedBefore + 3);
    }

    /** Reads and writes from four threads; every response must be the expected success. */
    private static List<Long> load(BankClient api, List<String> accounts) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Reply>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < REQUESTS; i++) {
                String account = accounts.get(i % accounts.size());
                String other = accounts.get((i + 1) % accounts.size());
                int kind = i % 3;
                replies.add(clients.submit(() -> switch (kind) {
                    case 0 -> api.get("/v1/accounts/" + account).expect(200);
                    case 1 -> api.postKeyed("/v1/accounts/" + account + "/transactions", "{\"type\":\"DEBIT\",\"amount\":1}").expect(201);
                    default -> api.postKeyed("/v1/transfers", "{\"fromAccountId\":\"" + account + "\",\"toAccountId\":\"" + other
                            + "\",\"amount\":1}").expect(201);
                }));
            }
            List<Long> latencies = new ArrayList<>();
            for (Future<Reply> reply : replies) {
                latencies.add(reply.get(60, TimeUnit.SECONDS).nanos());
            }
            return latencies;
        } finally {
            clients.shutdownNow();
        }
    }

    private static double accountsOpened(LocalStack stack) {
        var result = stack.prometheus().query("sum(bank_accounts_opened_total{service_name=\"bank-api\"})");
        return result.isEmpty() ? 0 : result.get(0).path("value").get(1).asDouble();
    }

    /** Heap in use after a full GC, from the Dropwizard admin port's metrics. */
    private static long heapAfterGc(LocalStack stack) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(stack.admin("/tasks/gc")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        String metrics = http.send(HttpRequest.newBuilder(stack.admin("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(metrics)
                .path("gauges").path("jvm.memory.heap.used").path("value").asLong();
    }

    private static String percentiles(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "%.1f | %.1f | %.1f", at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99));
    }

    private static double at(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1)) / 1e6;
    }

}
