package bank.docs;

import static org.assertj.core.api.Assertions.assertThat;

import bank.http.ProblemType;
import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApiDocsIT {

    @RegisterExtension
    static final BankApi api = new BankApi();

    @Test
    void theOpenApiDocumentDescribesExactlyTheRoutesJerseyServes() {
        JsonNode document = api.get("/openapi.json").expect(200).body();

        Set<String> documented = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));
        Set<String> served = new TreeSet<>();
        for (Class<?> component : api.app().getEnvironment().jersey().getResourceConfig().getClasses()) {
            if (component.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                collect(Resource.from(component), "", served);
            }
        }
        served.removeIf(route -> route.endsWith("/openapi.json") || route.contains(ProblemType.PAGES));

        assertThat(document.get("openapi").asText()).startsWith("3.");
        assertThat(documented).isEqualTo(served).contains("POST /v1/transfers", "GET /v1/accounts/{id}/transactions");
    }

    @Test
    void schemasCarryTheConstraintsTheApiEnforces() {
        JsonNode schemas = api.get("/openapi.json").expect(200).body().get("components").get("schemas");

        JsonNode transfer = schemas.get("TransferRequest");
        assertThat(transfer.get("required")).isNotNull();
        assertThat(transfer.get("required").toString()).contains("fromAccountId", "toAccountId", "amount");
        assertThat(transfer.get("properties").get("amount").get("minimum").asLong()).isEqualTo(1);
        assertThat(transfer.get("properties").get("amount").get("format").asText()).isEqualTo("int64");
        JsonNode open = schemas.get("OpenAccountRequest");
        assertThat(open.get("properties").get("firstName").get("maxLength").asInt()).isEqualTo(100);
        assertThat(schemas.get("PostTransactionRequest").get("properties").get("type").get("enum").toString())
                .contains("CREDIT", "DEBIT");
        assertThat(schemas.get("Problem").get("properties").fieldNames()).toIterable()
                .contains("type", "title", "status", "detail", "errors");
    }

    /**
     * Beyond what the web server and access control can answer anything, each operation documents exactly the
     * refusals of its own: 404 where a path or body names a resource that may not exist, 422 where a body or a
     * query parameter can be invalid, 409 and 415 where a body is posted under an Idempotency-Key.
     */
    @Test
    void everyOperationDocumentsExactlyItsOwnProblemResponses() {
        JsonNode paths = api.get("/openapi.json").expect(200).body().get("paths");
        Set<String> everyOperation = Set.of("400", "401", "403", "405", "406", "408", "413", "414", "429", "431",
                "500", "503");
        Map<String, Set<String>> own = new TreeMap<>();
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            Set<String> statuses = new TreeSet<>();
            operation.getValue().get("responses").fieldNames().forEachRemaining(statuses::add);
            statuses.removeIf(status -> status.startsWith("2") || everyOperation.contains(status));
            own.put(operation.getKey().toUpperCase() + " " + path.getKey(), statuses);
        }));
        assertThat(own).isEqualTo(Map.of(
                "GET /v1/accounts", Set.of("422"),
                "POST /v1/accounts", Set.of("409", "415", "422"),
                "GET /v1/accounts/{id}", Set.of("404"),
                "GET /v1/accounts/{id}/transactions", Set.of("404", "422"),
                "GET /v1/accounts/{id}/transactions/{transactionId}", Set.of("404"),
                "GET /v1/accounts/{id}/history", Set.of("404", "422"),
                "POST /v1/accounts/{id}/transactions", Set.of("404", "409", "415", "422"),
                "POST /v1/transfers", Set.of("404", "409", "415", "422"),
                "GET /v1/transfers/{id}", Set.of("404")));
    }

    @Test
    void everyOperationListsTheStatusesTheWebServerCanAnswerWith() {
        JsonNode document = api.get("/openapi.json").expect(200).body();
        List<String> missing = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            for (String status : new String[] {"400", "405", "406", "408", "413", "414", "431", "500", "503"}) {
                if (!operation.getValue().get("responses").has(status)) {
                    missing.add(operation.getKey() + " " + path.getKey() + " " + status);
                }
            }
            assertThat(operation.getValue().get("operationId").asText()).isNotBlank();
        }));
        assertThat(missing).isEmpty();
        JsonNode responses = document.get("components").get("responses");
        assertThat(responses.get("ServiceUnavailable").get("headers").has("Retry-After")).isTrue();
        assertThat(responses.get("MethodNotAllowed").get("headers").has("Allow")).isTrue();
    }

    @Test
    void requestSchemasStateTheTextRulesAndAdmitNoUnknownField() {
        JsonNode schemas = api.get("/openapi.json").expect(200).body().get("components").get("schemas");

        for (String request : new String[] {"OpenAccountRequest", "PostTransactionRequest", "TransferRequest"}) {
            assertThat(schemas.get(request).get("additionalProperties").asBoolean(true)).as(request).isFalse();
        }
        JsonNode firstName = schemas.get("OpenAccountRequest").get("properties").get("firstName");
        assertThat(firstName.get("minLength").asInt()).isEqualTo(1);
        assertThat(firstName.get("pattern").asText()).isEqualTo(bank.http.Text.Rules.pattern(false));
        assertThat(schemas.get("TransferRequest").get("properties").get("description").get("pattern").asText())
                .isEqualTo(bank.http.Text.Rules.pattern(true));
        assertThat(schemas.get("OpenAccountRequest").get("properties").get("currency").get("enum").toString())
                .contains("\"EUR\"", "\"USD\"", "null").doesNotContain("\"usd\"");
    }

    @Test
    void thePostsThatMoveMoneyRequireAnIdempotencyKeyAndOpeningAnAccountDoesNot() {
        JsonNode document = api.get("/openapi.json").expect(200).body();

        for (String path : List.of("/v1/transfers", "/v1/accounts/{id}/transactions")) {
            JsonNode post = document.get("paths").get(path).get("post");
            assertThat(idempotencyKey(document, post).get("required").asBoolean()).as(path).isTrue();
            assertThat(resolved(document, post.get("responses").get("400")).get("description").asText()).as(path)
                    .contains("Idempotency-Key", "/problems/idempotency-key-required");
        }
        JsonNode open = document.get("paths").get("/v1/accounts").get("post");
        assertThat(idempotencyKey(document, open).get("required").asBoolean()).isFalse();
        assertThat(idempotencyKey(document, open).get("description").asText()).contains("503", "same key");
    }

    @Test
    void everyOperationDeclaresTheBearerSchemeItsScopeAndTheAnswersOfAccessControl() {
        JsonNode document = api.get("/openapi.json").expect(200).body();

        JsonNode scheme = document.get("components").get("securitySchemes").get("apiKey");
        assertThat(scheme.get("type").asText()).isEqualTo("http");
        assertThat(scheme.get("scheme").asText()).isEqualTo("bearer");
        Map<String, String> scopes = new TreeMap<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(entry -> {
            String operation = entry.getKey().toUpperCase() + " " + path.getKey();
            JsonNode declared = entry.getValue();
            assertThat(declared.get("security").toString()).as(operation).isEqualTo("[{\"apiKey\":[]}]");
            for (String status : List.of("401", "403", "429")) {
                assertThat(declared.get("responses").has(status)).as(operation + " documents " + status).isTrue();
            }
            String scope = declared.get("x-required-scope").asText();
            assertThat(declared.get("description").asText()).as(operation).contains("`" + scope + "`");
            scopes.put(operation, scope);
        }));
        assertThat(scopes).isEqualTo(Map.of(
                "GET /v1/accounts", "accounts:read",
                "POST /v1/accounts", "accounts:write",
                "GET /v1/accounts/{id}", "accounts:read",
                "GET /v1/accounts/{id}/transactions", "transactions:read",
                "GET /v1/accounts/{id}/transactions/{transactionId}", "transactions:read",
                "GET /v1/accounts/{id}/history", "transactions:read",
                "POST /v1/accounts/{id}/transactions", "transactions:write",
                "POST /v1/transfers", "transfers:write",
                "GET /v1/transfers/{id}", "transactions:read"));
        JsonNode limited = document.get("components").get("responses").get("TooManyRequests").get("headers");
        assertThat(limited.fieldNames()).toIterable().contains("Retry-After", "RateLimit-Policy", "RateLimit");
        assertThat(document.get("components").get("responses").get("Unauthorized").get("headers").has("WWW-Authenticate"))
                .isTrue();
    }

    @Test
    void theDocumentAndSwaggerUiNeedNoKey() {
        api.withoutKey().get("/openapi.json").expect(200);
        api.withoutKey().get("/docs/").expect(200);
        api.withoutKey().get("/docs/ui/swagger-ui-bundle.js").expect(200);
    }

    @Test
    void theDocsPageServesSwaggerUiOverTheDocument() {
        Reply page = api.get("/docs/").expect(200);

        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.raw()).contains("swagger-ui-bundle.js", "init.js");
        assertThat(api.get("/docs/init.js").expect(200).raw()).contains("/openapi.json");
        assertThat(api.get("/docs/ui/swagger-ui-bundle.js").expect(200).raw()).isNotEmpty();
        assertThat(api.get("/docs/ui/swagger-ui.css").expect(200).raw()).isNotEmpty();
    }

    private static JsonNode idempotencyKey(JsonNode document, JsonNode operation) {
        for (JsonNode parameter : operation.get("parameters")) {
            JsonNode declared = resolved(document, parameter);
            if (declared.get("name").asText().equals("Idempotency-Key")) {
                assertThat(declared.get("in").asText()).isEqualTo("header");
                return declared;
            }
        }
        throw new AssertionError("no Idempotency-Key parameter in " + operation);
    }

    /** The object a {@code $ref} such as {@code #/components/parameters/IdempotencyKey} points at, or the node itself. */
    private static JsonNode resolved(JsonNode document, JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }

    private static void collect(Resource resource, String prefix, Set<String> routes) {
        String path = join(prefix, resource.getPath());
        for (ResourceMethod method : resource.getResourceMethods()) {
            if (!method.getHttpMethod().equals("OPTIONS") && !method.getHttpMethod().equals("HEAD")) {
                routes.add(method.getHttpMethod() + " " + path);
            }
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, routes);
        }
    }

    private static String join(String prefix, String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return prefix.isEmpty() ? "/" : prefix;
        }
        return prefix + (path.startsWith("/") ? "" : "/") + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }
}
