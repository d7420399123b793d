package bank.testing;

import static org.assertj.core.api.Assertions.assertThat;

import bank.BankApplication;
import bank.BankConfiguration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the whole application (config.yml, Jetty on random ports, migrations on start) against a fresh
 * database per test class, and talks to it over real HTTP. Tables are emptied before each test.
 */
public final class BankApi implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ConfigOverride> overrides;
    private UnaryOperator<String> databaseRoute = UnaryOperator.identity();
    private TestDatabase database;
    private DropwizardTestSupport<BankConfiguration> app;

    /** @param overrides settings of config.yml to change for this test class, e.g. a shorter lock timeout */
    public BankApi(ConfigOverride... overrides) {
        this.overrides = List.of(overrides);
    }

    /** Connects the service to its database through {@code proxy} rather than directly. */
    public BankApi through(TcpProxy proxy) {
        databaseRoute = proxy::relayed;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        database = TestDatabase.create();
        List<ConfigOverride> settings = new ArrayList<>(List.of(
                ConfigOverride.config("database.url", databaseRoute.apply(database.url())),
                ConfigOverride.config("database.user", TestDatabase.USER),
                ConfigOverride.config("database.password", TestDatabase.PASSWORD),
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("migrateOnStart", "true")));
        settings.addAll(overrides);
        app = new DropwizardTestSupport<>(BankApplication.class, "config.yml", settings.toArray(ConfigOverride[]::new));
        app.before();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (app != null) {
            app.after();
        }
        if (database != null) {
            database.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE accounts, transfers, transactions, idempotency_keys");
        }
    }

    public TestDatabase database() {
        return database;
    }

    public DropwizardTestSupport<BankConfiguration> app() {
        return app;
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + app.getLocalPort() + path);
    }

    public URI adminUri(String path) {
        return URI.create("http://localhost:" + app.getAdminPort() + path);
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Reply post(String path, Object body, String... headers) {
        return postRaw(path, json(body), "application/json", headers);
    }

    /** POSTs with an Idempotency-Key of its own, as a client does for every operation that moves money. */
    public Reply postKeyed(String path, Object body) {
        return post(path, body, "Idempotency-Key", UUID.randomUUID().toString());
    }

    public Reply postRaw(String path, String body, String contentType, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String json(Object body) {
        if (body instanceof String text) {
            return text;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens an account and returns its id; fails the test on anything but 201. */
    public String openAccount(String currency) {
        Reply reply = post("/v1/accounts", Map.of("firstName", "Grace", "lastName", "Hopper", "currency", currency));
        return reply.expect(201).text("id");
    }

    public void credit(String accountId, long amount) {
        postKeyed("/v1/accounts/" + accountId + "/transactions", Map.of("type", "CREDIT", "amount", amount)).expect(201);
    }

    public long balance(String accountId) {
        return get("/v1/accounts/" + accountId).expect(200).body().get("balance").asLong();
    }

    /** An HTTP response with its body parsed as JSON where it is JSON. */
    public record Reply(HttpResponse<String> response) {

        public int status() {
            return response.statusCode();
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public String raw() {
            return response.body();
        }

        public JsonNode body() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + response.body(), e);
            }
        }

        public String text(String field) {
            return body().get(field).asText();
        }

        public Reply expect(int status) {
            if (status() != status) {
                throw new AssertionError("expected " + status + " but got " + status() + ": " + raw());
            }
            return this;
        }

        /**
         * A 503 problem document that says the outcome is unknown, asks for a retry with the same key, and gives
         * away nothing of the failure behind it.
         */
        public Reply expectRetryLater() {
            expect(503);
            assertThat(header("Content-Type")).startsWith("application/problem+json");
            assertThat(text("type")).isEqualTo("urn:problem:service-unavailable");
            assertThat(text("detail")).contains("outcome of this request is unknown", "same Idempotency-Key");
            assertThat(header("Retry-After")).isEqualTo("1");
            assertThat(raw()).doesNotContain("SQL", "Exception", "Connection", "lock", "127.0.0.1");
            return this;
        }
    }
}
