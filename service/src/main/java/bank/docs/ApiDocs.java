package bank.docs;

import bank.accounts.AccountResource;
import bank.http.Problem;
import bank.idempotency.IdempotencyKey;
import bank.ledger.TransactionResource;
import bank.transfers.TransferResource;
import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3 document, generated once from the resource classes and their annotations, served at
 * {@code /openapi.json}, and a Swagger UI over it at {@code /docs/}.
 */
public final class ApiDocs {

    /** The org.webjars:swagger-ui version in the pom: its files live under a folder named after it. */
    private static final String SWAGGER_UI_VERSION = "5.34.1";

    private static final String IDEMPOTENCY_KEY = "Makes a retry safe: a retry with the same key and body replays "
            + "the first response (with `Idempotent-Replayed: true`); the same key with another body gets 422; a retry "
            + "while the first is in progress gets 409. After a 503 the outcome is unknown: retry with the same key. "
            + "Keys are kept for 24 hours.";

    private ApiDocs() {
    }

    public static void addAssets(Bootstrap<?> bootstrap) {
        bootstrap.addBundle(new AssetsBundle("/assets/docs", "/docs", "index.html", "docs"));
        bootstrap.addBundle(new AssetsBundle("/META-INF/resources/webjars/swagger-ui/" + SWAGGER_UI_VERSION,
                "/docs/ui", "index.html", "swagger-ui"));
    }

    public static void register(Environment environment) {
        environment.jersey().register(new OpenApiResource(Json.pretty(document())));
    }

    static OpenAPI document() {
        OpenAPI base = new OpenAPI()
                .info(new Info().title("Observable Bank API").version("1")
                        .description("Accounts, credits and debits, and transfers. Money is an integer in minor "
                                + "units of the account's currency (1050 = 10.50). Errors are RFC 9457 "
                                + "application/problem+json documents."))
                .components(components());
        Reader reader = new Reader(new SwaggerConfiguration().openAPI(base));
        return reader.read(new LinkedHashSet<>(List.of(AccountResource.class, TransactionResource.class,
                TransferResource.class)));
    }

    private static Components components() {
        Components components = new Components();
        Map<String, Schema> problemSchemas = ModelConverters.getInstance().readAll(Problem.class);
        problemSchemas.forEach(components::addSchemas);
        Content problem = new Content().addMediaType(Problem.MEDIA_TYPE,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
        components.addResponses("MalformedRequest", new ApiResponse().description("Malformed JSON, or no body").content(problem));
        components.addResponses("MalformedRequestOrNoIdempotencyKey", new ApiResponse()
                .description("Malformed JSON, no body, or no Idempotency-Key (`urn:problem:idempotency-key-required`)")
                .content(problem));
        components.addResponses("NotFound", new ApiResponse().description("No such resource").content(problem));
        components.addResponses("RequestInProgress", new ApiResponse()
                .description("A request with the same Idempotency-Key is still in progress; retry later").content(problem));
        components.addResponses("UnsupportedMediaType", new ApiResponse()
                .description("The body is not application/json").content(problem));
        components.addResponses("Unprocessable", new ApiResponse()
                .description("Invalid fields (see `errors`), a refused operation (insufficient funds, currency "
                        + "mismatch, same account), or an Idempotency-Key reused with another body").content(problem));
        components.addParameters("IdempotencyKey", idempotencyKey(true)
                .description("Required: without one, a request that moves money is refused with 400 and writes "
                        + "nothing. " + IDEMPOTENCY_KEY));
        components.addParameters("OptionalIdempotencyKey", idempotencyKey(false).description(IDEMPOTENCY_KEY));
        return components;
    }

    private static Parameter idempotencyKey(boolean required) {
        return new Parameter().in("header").name(IdempotencyKey.HEADER).required(required)
                .schema(new StringSchema().minLength(1).maxLength(255));
    }

    @Path("/openapi.json")
    @Hidden
    public static final class OpenApiResource {
        private final String document;

        OpenApiResource(String document) {
            this.document = document;
        }

        @GET
        @Produces(jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
        public String get() {
            return document;
        }
    }
}
