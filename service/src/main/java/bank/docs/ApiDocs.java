package bank.docs;

import bank.accounts.AccountResource;
import bank.http.Problem;
import bank.http.RequestId;
import bank.http.Text;
import bank.idempotency.IdempotencyKey;
import bank.ledger.HistoryAliasResource;
import bank.ledger.TransactionResource;
import bank.transfers.TransferResource;
import com.fasterxml.jackson.databind.JavaType;
import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.links.Link;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The OpenAPI 3 document, generated once from the resource classes and their annotations, served at
 * {@code /openapi.json}, and a Swagger UI over it at {@code /docs/}; and the pages of {@link ProblemPages}.
 *
 * <p>The document states what the service enforces, so that a client (or a fuzzer) that follows it is never
 * refused for a reason it could not read there: request bodies admit no unknown field, text fields carry the
 * lengths and pattern of {@link Text}, currencies are the ISO 4217 codes the JVM knows, and every operation lists
 * each status the service or its web server can answer with.
 */
public final class ApiDocs {

    /** The org.webjars:swagger-ui version in the pom: its files live under a folder named after it. */
    private static final String SWAGGER_UI_VERSION = "5.34.1";

    private static final String IDEMPOTENCY_KEY = "Makes a retry safe: a retry with the same key and body replays "
            + "the first response (with `Idempotent-Replayed: true`); the same key with another body gets 422; a retry "
            + "while the first is in progress gets 409. After a 503 the outcome is unknown: retry with the same key. "
            + "Keys are kept for %s.";

    /** Operation ids, which the links between operations name. */
    private static final Map<String, String> OPERATION_IDS = Map.of(
            "POST /v1/accounts", "openAccount",
            "GET /v1/accounts", "listAccounts",
            "GET /v1/accounts/{id}", "getAccount",
            "POST /v1/accounts/{id}/transactions", "postTransaction",
            "GET /v1/accounts/{id}/transactions", "listTransactions",
            "GET /v1/accounts/{id}/transactions/{transactionId}", "getTransaction",
            "GET /v1/accounts/{id}/history", "listTransactionsDeprecated",
            "POST /v1/transfers", "transfer",
            "GET /v1/transfers/{id}", "getTransfer");

    /** Answers any operation can get from the web server in front of the resources. */
    private static final Map<String, String> EVERY_OPERATION = orderedMap(
            "400", "MalformedRequest", "405", "MethodNotAllowed", "406", "NotAcceptable", "408", "RequestTimeout",
            "413", "ContentTooLarge", "414", "UriTooLong", "431", "HeadersTooLarge", "500", "InternalError",
            "503", "ServiceUnavailable");

    private static boolean convertersAdded;

    private ApiDocs() {
    }

    public static void addAssets(Bootstrap<?> bootstrap) {
        bootstrap.addBundle(new AssetsBundle("/assets/docs", "/docs", "index.html", "docs"));
        bootstrap.addBundle(new AssetsBundle("/META-INF/resources/webjars/swagger-ui/" + SWAGGER_UI_VERSION,
                "/docs/ui", "index.html", "swagger-ui"));
    }

    /**
     * Serves the document, built on its first request rather than at start-up: building it loads some 300 classes
     * of swagger-core that a service which is never asked for its document does not need; and the pages the problem
     * types lead to.
     *
     * @param keyRetention how long the service keeps an Idempotency-Key, which the document states
     */
    public static void register(Environment environment, Duration keyRetention) {
        environment.jersey().register(new OpenApiResource(() -> json(keyRetention)));
        environment.jersey().register(new ProblemPages());
    }

    static String json(Duration keyRetention) {
        return Json.pretty(document(keyRetention));
    }

    static synchronized OpenAPI document(Duration keyRetention) {
        if (!convertersAdded) {
            ModelConverters.getInstance().addConverter(new Constraints());
            convertersAdded = true;
        }
        OpenAPI base = new OpenAPI()
                .info(new Info().title("Observable Bank API").version("1")
                        .description("Accounts, credits and debits, and transfers. Money is an integer in minor "
                                + "units of the account's currency (1050 = 10.50). Errors are RFC 9457 "
                                + "application/problem+json documents."))
                .components(components(keyRetention));
        Reader reader = new Reader(new SwaggerConfiguration().openAPI(base));
        List<Class<?>> resources = List.of(AccountResource.class, TransactionResource.class, HistoryAliasResource.class,
                TransferResource.class);
        OpenAPI document = reader.read(new LinkedHashSet<>(resources));
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            operation.setOperationId(OPERATION_IDS.get(method.name() + " " + path));
            EVERY_OPERATION.forEach((status, response) -> operation.getResponses()
                    .computeIfAbsent(status, s -> new ApiResponse().$ref("#/components/responses/" + response)));
            if (method == PathItem.HttpMethod.POST) {
                closeRequestBody(document, operation);
            }
        }));
        link(document, "POST /v1/accounts", "201", Map.of(
                "getAccount", "$response.body#/id", "listTransactions", "$response.body#/id",
                "postTransaction", "$response.body#/id"));
        link(document, "POST /v1/accounts/{id}/transactions", "201", Map.of("getAccount", "$response.body#/accountId"));
        response(document, "POST /v1/accounts/{id}/transactions", "201").link("getTransaction", new Link()
                .operationId("getTransaction").parameters("id", "$response.body#/accountId")
                .parameters("transactionId", "$response.body#/id"));
        link(document, "POST /v1/transfers", "201", Map.of("getTransfer", "$response.body#/id"));
        describeHeaders(document);
        AccessDocs.describe(document, resources);
        return document;
    }

    /** The service refuses unknown fields (422), so the body schema admits none. */
    private static void closeRequestBody(OpenAPI document, Operation operation) {
        operation.getRequestBody().getContent().values().forEach(media -> {
            String ref = media.getSchema().get$ref();
            if (ref != null) {
                document.getComponents().getSchemas().get(ref.substring(ref.lastIndexOf('/') + 1))
                        .additionalProperties(false);
            }
        });
    }

    private static void link(OpenAPI document, String operation, String status, Map<String, String> idsByTarget) {
        ApiResponse response = response(document, operation, status);
        new TreeMap<>(idsByTarget).forEach((target, expression) -> response.link(target,
                new Link().operationId(target).parameters("id", expression)));
    }

    private static ApiResponse response(OpenAPI document, String operation, String status) {
        String[] methodAndPath = operation.split(" ", 2);
        return document.getPaths().get(methodAndPath[1]).readOperationsMap()
                .get(PathItem.HttpMethod.valueOf(methodAndPath[0])).getResponses().get(status);
    }

    /**
     * Every answer carries the request's id; every 201 says where the new resource lives. A response that is a
     * reference gets the headers in its component, since OpenAPI 3.0 ignores whatever sits beside a $ref.
     */
    private static void describeHeaders(OpenAPI document) {
        List<ApiResponse> responses = new ArrayList<>(document.getComponents().getResponses().values());
        document.getPaths().forEach((path, item) -> item.readOperations().forEach(operation ->
                operation.getResponses().forEach((status, response) -> {
                    if (response.get$ref() == null) {
                        responses.add(response);
                    }
                    if (status.equals("201")) {
                        response.addHeaderObject("Location", new Header().required(true)
                                .description("The URL of what was created")
                                .schema(new StringSchema().format("uri-reference")));
                    }
                })));
        for (ApiResponse response : responses) {
            response.addHeaderObject(RequestId.HEADER, new Header().required(true)
                    .description("The request's id, to quote to support: the trace id of its server span")
                    .schema(new StringSchema().pattern("^[0-9a-f]{32}$")));
            response.addHeaderObject(RequestId.TRACERESPONSE, new Header().required(true)
                    .description("W3C Trace Context Level 2: `00-<trace id>-<span id>-<flags>`")
                    .schema(new StringSchema().pattern("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")));
        }
    }

    private static Components components(Duration keyRetention) {
        Components components = new Components();
        Map<String, Schema> problemSchemas = ModelConverters.getInstance().readAll(Problem.class);
        problemSchemas.forEach(components::addSchemas);
        Content problem = new Content().addMediaType(Problem.MEDIA_TYPE,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
        Header retryAfter = new Header().description("Seconds to wait before retrying").required(true)
                .schema(new IntegerSchema().minimum(java.math.BigDecimal.ZERO));
        components.addResponses("MalformedRequest", new ApiResponse().content(problem).description(
                "Malformed request: not JSON, no body, a key named twice, not UTF-8, a body cut short or badly "
                        + "chunked, a malformed path or header"));
        components.addResponses("MalformedRequestOrNoIdempotencyKey", new ApiResponse().content(problem).description(
                "Malformed request (as MalformedRequest), or no Idempotency-Key (`/problems/idempotency-key-required`)"));
        components.addResponses("NotFound", new ApiResponse().description("No such resource").content(problem));
        components.addResponses("MethodNotAllowed", new ApiResponse().content(problem)
                .description("The path does not support the method; `Allow` lists those it does")
                .addHeaderObject("Allow", new Header().required(true).schema(new StringSchema())));
        components.addResponses("NotAcceptable", new ApiResponse().content(problem)
                .description("`Accept` excludes application/json"));
        components.addResponses("RequestTimeout", new ApiResponse().content(problem)
                .description("The request body stopped arriving, or arrived too slowly"));
        components.addResponses("RequestInProgress", new ApiResponse().content(problem)
                .description("A request with the same Idempotency-Key is still in progress; retry later")
                .addHeaderObject("Retry-After", retryAfter));
        components.addResponses("ContentTooLarge", new ApiResponse().content(problem)
                .description("The request body is larger than the limit (64 KiB by default)"));
        components.addResponses("UriTooLong", new ApiResponse().content(problem).description("The URI is too long"));
        components.addResponses("UnsupportedMediaType", new ApiResponse()
                .description("The body is not application/json in UTF-8").content(problem));
        components.addResponses("Unprocessable", new ApiResponse()
                .description("Invalid fields (see `errors`), a refused operation (insufficient funds, currency "
                        + "mismatch, same account, balance limit), or an Idempotency-Key reused with another body")
                .content(problem));
        components.addResponses("HeadersTooLarge", new ApiResponse().content(problem)
                .description("The request headers are too large"));
        components.addResponses("InternalError", new ApiResponse().content(problem)
                .description("A bug; `detail` carries an error id that is also in the server log"));
        components.addResponses("ServiceUnavailable", new ApiResponse().content(problem)
                .description("The database is unreachable, timed out or has no free connection; retry with the "
                        + "same Idempotency-Key")
                .addHeaderObject("Retry-After", retryAfter));
        AccessDocs.addComponents(components, problem);
        String kept = IDEMPOTENCY_KEY.formatted(keyRetention);
        components.addParameters("IdempotencyKey", idempotencyKey(true)
                .description("Required: without one, a request that moves money is refused with 400 and writes "
                        + "nothing. " + kept));
        components.addParameters("OptionalIdempotencyKey", idempotencyKey(false).description(kept));
        return components;
    }

    /** 1 to {@link IdempotencyKey#MAX_LENGTH} visible ASCII characters, as the service checks (anything else is a 422). */
    private static Parameter idempotencyKey(boolean required) {
        return new Parameter().in("header").name(IdempotencyKey.HEADER).required(required)
                .schema(new StringSchema().minLength(1).maxLength(IdempotencyKey.MAX_LENGTH).pattern("^[\\x21-\\x7e]+$"));
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /**
     * Writes the rules of {@link Text} into each text property's schema (code point lengths and the pattern
     * that excludes control characters and blank values), and the currency codes the service accepts.
     */
    private static final class Constraints implements ModelConverter {

        private static final List<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
                .map(Currency::getCurrencyCode).sorted().toList();

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
            Schema schema = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
            if (schema == null) {
                return null;
            }
            for (Annotation annotation : type.getCtxAnnotations() == null ? new Annotation[0] : type.getCtxAnnotations()) {
                if (annotation instanceof Text text) {
                    schema.maxLength(text.max()).pattern(Text.Rules.pattern(text.blank()));
                    if (!text.blank()) {
                        schema.minLength(1);
                    }
                }
            }
            if (isCurrency(type.getType())) {
                List<String> values = new java.util.ArrayList<>(CURRENCIES);
                if (Boolean.TRUE.equals(schema.getNullable())) {
                    // OpenAPI 3.0: a nullable enum lists null among its values.
                    values.add(null);
                }
                schema.setEnum(values);
            }
            return schema;
        }

        private static boolean isCurrency(Type type) {
            return type == Currency.class
                    || type instanceof JavaType javaType && javaType.getRawClass() == Currency.class;
        }
    }

    @Path("/openapi.json")
    @Hidden
    public static final class OpenApiResource {
        private final Supplier<String> build;
        private volatile String document;

        OpenApiResource(Supplier<String> build) {
            this.build = build;
        }

        @GET
        @Produces(jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
        public String get() {
            String built = document;
            if (built == null) {
                synchronized (this) {
                    built = document;
                    if (built == null) {
                        document = built = build.get();
                    }
                }
            }
            return built;
        }
    }
}
