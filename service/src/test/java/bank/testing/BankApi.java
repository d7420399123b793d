package bank.testing;

import static org.assertj.core.api.Assertions.assertThat;

import bank.BankApplication;
import bank.BankConfiguration;
import bank.access.ApiClients;
import bank.access.Scope;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the whole application (config.yml, Jetty on random ports, migrations on start) against a fresh
 * database per test class, and talks to it over real HTTP. Tables are emptied before each test, except the API's
 * clients.
 *
 * <p>Requests carry the key of a client made for the test class, which has every scope but {@code admin}, so that
 * it sees only the accounts it opened, as most clients do. {@link #as} sends another client's key instead, and
 * {@link #withoutKey} none.
 */
public final class BankApi implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The scope of every operation, but not admin: a client with these sees only the accounts it opened. */
    public static final String[] OPERATION_SCOPES = Scope.ALL.stream()
            .filter(scope -> !scope.equals(Scope.ADMIN)).toArray(String[]::new);

    /** A client of the API and its key, as {@code clients create} makes them. */
    public record Client(UUID id, String key) {
    }

    private final BankApi root;
    /** The Authorization header to send, or null for none; ignored while the test class's client is the caller. */
    private final String authorization;
    private final boolean asTestClient;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ConfigOverride> overrides;
    private UnaryOperator<String> databaseRoute = UnaryOperator.identity();
    private TestDatabase database;
    private DropwizardTestSupport<BankConfiguration> app;
    private Client defaultClient;
    private List<String> tables;

    /** @param overrides settings of config.yml to change for this test class, e.g. a shorter lock timeout */
    public BankApi(ConfigOverride... overrides) {
        this.root = this;
        this.authorization = null;
        this.asTestClient = true;
        this.overrides = List.of(overrides);
    }

    private BankApi(BankApi root, String authorization) {
        this.root = root;
        this.authorization = authorization;
        this.asTestClient = false;
        this.overrides = List.of();
    }

    /** Connects the service to its database through {@code proxy} rather than directly. */
    public BankApi through(TcpProxy proxy) {
        databaseRoute = proxy::relayed;
        return this;
    }

    /** The same service, called with this client's key. */
    public BankApi as(Client client) {
        return withKey(client.key());
    }

    /** The same service, called with this value as the Bearer key, whatever it is. */
    public BankApi withKey(String bearerKey) {
        return new BankApi(root, "Bearer " + bearerKey);
    }

    /** The same service, called with this Authorization header. */
    public BankApi withRawAuthorization(String header) {
        return new BankApi(root, header);
    }

    /** The same service, called without an Authorization header. */
    public BankApi withoutKey() {
        return new BankApi(root, null);
    }

    /** The test class's client, whose key requests carry unless told otherwise. */
    public Client client() {
        return root.defaultClient;
    }

    /** Creates a client with these scopes, as {@code clients create} does. */
    public Client newClient(String name, String... scopes) {
        ApiClients.Created created = new ApiClients(root.database.jdbi()).create(name, Set.of(scopes));
        return new Client(created.client().id(), created.key());
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
        defaultClient = newClient("tests", OPERATION_SCOPES);
        tables = emptiedTables();
    }

    /**
     * Every table the migrations made, read from the database so that a new one is emptied too: all but Liquibase's
     * own (the migration history and its lock) and the API's clients and their keys, where the test class's client
     * lives.
     */
    private List<String> emptiedTables() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT format('%I', tablename) FROM pg_tables "
                     + "WHERE schemaname = current_schema() AND tablename NOT LIKE 'databasechangelog%' "
                     + "AND tablename NOT IN ('api_clients', 'api_keys') ORDER BY tablename")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        assertThat(names).as("tables the migrations made").contains("accounts", "idempotency_keys");
        return List.copyOf(names);
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
            statement.execute("TRUNCATE " + String.join(", ", tables));
        }
    }

    public TestDatabase database() {
        return root.database;
    }

    public DropwizardTestSupport<BankConfiguration> app() {
        return root.app;
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + app().getLocalPort() + path);
    }

    public URI adminUri(String path) {
        return URI.create("http://localhost:" + app().getAdminPort() + path);
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

    /** Sends the request with this view's key, if it has one. */
    public Reply send(HttpRequest.Builder request) {
        String header = asTestClient ? "Bearer " + root.defaultClient.key() : authorization;
        if (header != null) {
            request.header("Authorization", header);
        }
        try {
            HttpResponse<String> response = root.http.send(request.timeout(Duration.ofSeconds(30)).build(),
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

        /** A problem document with this status and this {@code type}, the reason a client acts on. */
        public Reply expectProblem(int status, String type) {
            expect(status);
            assertThat(header("Content-Type")).as(raw()).startsWith("application/problem+json");
            assertThat(text("type")).as(raw()).isEqualTo(type);
            return this;
        }

        /**
         * A 503 problem document that says the outcome is unknown, asks for a retry with the same key, and gives
         * away nothing of the failure behind it.
         */
        public Reply expectRetryLater() {
            expect(503);
            assertThat(header("Content-Type")).startsWith("application/problem+json");
            assertThat(text("type")).isEqualTo("/problems/service-unavailable");
            assertThat(text("detail")).contains("outcome of this request is unknown", "same Idempotency-Key");
            assertThat(header("Retry-After")).isEqualTo("1");
            assertThat(raw()).doesNotContain("SQL", "Exception", "Connection", "lock", "127.0.0.1");
            return this;
        }
    }
}
