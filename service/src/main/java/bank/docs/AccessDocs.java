package bank.docs;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * What the OpenAPI document says about access: the Bearer scheme (which Swagger UI's Authorize button fills in),
 * and for each operation the scope it needs, read from the same {@code @RolesAllowed} the service enforces, and its
 * 401, 403 and 429 answers.
 */
final class AccessDocs {

    static final String SCHEME = "apiKey";
    static final String SCOPE_EXTENSION = "x-required-scope";

    private AccessDocs() {
    }

    static void addComponents(Components components, Content problem) {
        components.addSecuritySchemes(SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .bearerFormat("bank_sk_ and 43 characters")
                .description("An API key, sent as `Authorization: Bearer <key>`. `clients create` makes one and prints "
                        + "it once; each key has scopes, and sees only the accounts its client opened (all of them with "
                        + "the `admin` scope)."));
        Header challenge = new Header().required(true).schema(new StringSchema())
                .description("`Bearer realm=\"bank-api\"`, with `error=\"invalid_token\"` for a key that is not valid");
        components.addResponses("Unauthorized", new ApiResponse().content(problem).description("No API key "
                        + "(`/problems/api-key-required`), or a key that is malformed, unknown or revoked "
                        + "(`/problems/api-key-invalid`, the same answer for all three)")
                .addHeaderObject("WWW-Authenticate", challenge));
        components.addResponses("Forbidden", new ApiResponse().content(problem)
                .description("The key lacks the scope the operation needs (`/problems/insufficient-scope`)")
                .addHeaderObject("WWW-Authenticate", new Header().required(true).schema(new StringSchema())
                        .description("`Bearer realm=\"bank-api\", error=\"insufficient_scope\", scope=\"<scope>\"`")));
        components.addResponses("TooManyRequests", new ApiResponse().content(problem)
                .description("The client is over its rate limit (`/problems/too-many-requests`). Nothing was done: "
                        + "send the request again, with the same Idempotency-Key, after Retry-After")
                .addHeaderObject("Retry-After", new Header().required(true).description("Seconds to wait")
                        .schema(new IntegerSchema().minimum(BigDecimal.ONE)))
                .addHeaderObject("RateLimit-Policy", new Header().required(true).schema(new StringSchema())
                        .description("draft-ietf-httpapi-ratelimit-headers: `\"per-client\";q=<burst>;w=<seconds>`"))
                .addHeaderObject("RateLimit", new Header().required(true).schema(new StringSchema())
                        .description("draft-ietf-httpapi-ratelimit-headers: `\"per-client\";r=0;t=<seconds>`")));
    }

    /** Marks each operation of the resources with its scheme, its scope and the answers of access control. */
    static void describe(OpenAPI document, Collection<Class<?>> resources) {
        for (Class<?> resource : resources) {
            describe(document, Resource.from(resource), "");
        }
        describeRateLimitFields(document);
    }

    /**
     * Every answer to a request whose key was accepted counted against the client's bucket and says how much is left,
     * so that a client can pace itself before it is refused. A 401 counted nothing. A response that is a reference
     * gets the fields in its component, since OpenAPI 3.0 ignores whatever sits beside a $ref.
     */
    private static void describeRateLimitFields(OpenAPI document) {
        Map<String, ApiResponse> counted = new TreeMap<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (operation.getExtensions() != null && operation.getExtensions().containsKey(SCOPE_EXTENSION)) {
                operation.getResponses().forEach((status, response) -> {
                    if (status.equals("401")) {
                        return;
                    }
                    String ref = response.get$ref();
                    if (ref == null) {
                        counted.put(method + " " + path + " " + status, response);
                    } else {
                        String name = ref.substring(ref.lastIndexOf('/') + 1);
                        counted.put(name, document.getComponents().getResponses().get(name));
                    }
                });
            }
        }));
        counted.values().forEach(response -> {
            if (response.getHeaders() == null) {
                response.setHeaders(new LinkedHashMap<>());
            }
            response.getHeaders().putIfAbsent("RateLimit-Policy", new Header().required(false)
                    .schema(new StringSchema())
                    .description("draft-ietf-httpapi-ratelimit-headers: `\"per-client\";q=<burst>;w=<seconds>`"));
            response.getHeaders().putIfAbsent("RateLimit", new Header().required(false).schema(new StringSchema())
                    .description("draft-ietf-httpapi-ratelimit-headers: `\"per-client\";r=<requests left>;"
                            + "t=<seconds until the bucket is full>`"));
        });
    }

    private static void describe(OpenAPI document, Resource resource, String prefix) {
        String path = prefix + (resource.getPath().startsWith("/") ? "" : "/") + resource.getPath();
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (ResourceMethod method : resource.getResourceMethods()) {
            RolesAllowed scope = method.getInvocable().getHandlingMethod().getAnnotation(RolesAllowed.class);
            PathItem item = document.getPaths().get(path);
            Operation operation = item == null ? null
                    : item.readOperationsMap().get(PathItem.HttpMethod.valueOf(method.getHttpMethod()));
            if (scope != null && operation != null) {
                describe(operation, scope.value()[0]);
            }
        }
        for (Resource child : resource.getChildResources()) {
            describe(document, child, path);
        }
    }

    private static void describe(Operation operation, String scope) {
        operation.addSecurityItem(new SecurityRequirement().addList(SCHEME));
        operation.addExtension(SCOPE_EXTENSION, scope);
        String needs = "Needs an API key with the scope `" + scope + "`.";
        operation.setDescription(operation.getDescription() == null ? needs : operation.getDescription() + " " + needs);
        operation.getResponses().addApiResponse("401", new ApiResponse().$ref("#/components/responses/Unauthorized"));
        operation.getResponses().addApiResponse("403", new ApiResponse().$ref("#/components/responses/Forbidden"));
        operation.getResponses().addApiResponse("429", new ApiResponse().$ref("#/components/responses/TooManyRequests"));
    }
}
