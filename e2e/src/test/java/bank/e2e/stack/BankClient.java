package bank.e2e.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

/** Plain HTTP calls to the running service, each with {@code Authorization: Bearer <key>} unless told otherwise. */
public final class BankClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Function<String, URI> uri;
    private final String authorization;

    /** @param apiKey sent with every request; null sends no Authorization header */
    public BankClient(Function<String, URI> uri, String apiKey) {
        this.uri = uri;
        this.authorization = apiKey == null ? null : "Bearer " + apiKey;
    }

    /** The same client with another key, or none (null). */
    public BankClient withKey(String apiKey) {
        return new BankClient(uri, apiKey);
    }

    public record Reply(int status, String body, long nanos, java.net.http.HttpHeaders headers) {
        /** The first value of a response header, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String text(String field) {
            return json().get(field).asText();
        }

        public Reply expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected " + expected + " but got " + status + ": " + body);
            }
            return this;
        }
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(uri.apply(path)).GET());
    }

    /** POSTs with an Idempotency-Key of its own, as a client does for every operation that moves money. */
    public Reply postKeyed(String path, String json) {
        return post(path, json, "Idempotency-Key", UUID.randomUUID().toString());
    }

    public Reply post(String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri.apply(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    private Reply send(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), System.nanoTime() - start, response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
