package bank.e2e.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** Prometheus's HTTP API: instant queries and exemplars. */
public final class PrometheusClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;

    PrometheusClient(URI base) {
        this.base = base;
    }

    public URI base() {
        return base;
    }

    /** @return the {@code data.result} array of an instant query; a query error fails the test */
    public JsonNode query(String promql) {
        JsonNode response = get("/api/v1/query?query=" + encode(promql));
        if (!"success".equals(response.path("status").asText())) {
            throw new AssertionError("query failed: " + promql + "\n" + response);
        }
        return response.path("data").path("result");
    }

    /** @return the {@code data} array of an exemplar query over the last {@code window} */
    public JsonNode exemplars(String promql, Duration window) {
        Instant end = Instant.now();
        return get("/api/v1/query_exemplars?query=" + encode(promql) + "&start=" + end.minus(window).getEpochSecond()
                + "&end=" + end.getEpochSecond()).path("data");
    }

    public JsonNode get(String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
