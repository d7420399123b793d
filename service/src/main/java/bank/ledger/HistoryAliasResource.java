package bank.ledger;

import bank.access.ApiClient;
import bank.access.Scope;
import bank.http.Ids;
import bank.http.Page;
import bank.http.PageRequest;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;

/**
 * The history's older path, kept working through its deprecation period as the API guide's policy promises: the
 * same answer as {@code GET /v1/accounts/{id}/transactions}, with the headers that tell a client it is deprecated
 * (RFC 9745), when it goes away (RFC 8594) and what replaces it.
 */
@Path("/v1/accounts/{id}/history")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Transactions")
public class HistoryAliasResource {

    static final Instant DEPRECATED = Instant.parse("2026-12-01T00:00:00Z");
    static final Instant SUNSET = Instant.parse("2027-06-01T00:00:00Z");
    /** IMF-fixdate, the HTTP-date form (RFC 9110): a two-digit day, English names, GMT. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    private final LedgerService ledger;

    public HistoryAliasResource(LedgerService ledger) {
        this.ledger = ledger;
    }

    @GET
    @RolesAllowed(Scope.TRANSACTIONS_READ)
    @Operation(summary = "List an account's transactions (deprecated path)", deprecated = true,
            description = "Deprecated on 2026-12-01 and removed after 2027-06-01: use `GET "
                    + "/v1/accounts/{id}/transactions`, which answers the same.")
    @ApiResponse(responseCode = "200", description = "A page of transactions", headers = {
            @Header(name = "Deprecation", required = true, description = "RFC 9745: `@<Unix time>` of the "
                    + "deprecation", schema = @Schema(type = "string", pattern = "^@[0-9]+$")),
            @Header(name = "Sunset", required = true, description = "RFC 8594: the HTTP-date after which the path "
                    + "may be removed", schema = @Schema(type = "string")),
            @Header(name = "Link", required = true, description = "`<…/transactions>; rel=\"successor-version\"`",
                    schema = @Schema(type = "string"))},
            content = @Content(schema = @Schema(ref = "#/components/schemas/PageTransaction")))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Unprocessable")
    public Response list(
            @Parameter(hidden = true) @Auth ApiClient client,
            @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id,
            @QueryParam("limit") @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200",
                    defaultValue = "50")) String limit,
            @QueryParam("after") @Parameter(schema = @Schema(format = "uuid")) String after) {
        UUID accountId = Ids.pathId(id, "account");
        Page<Transaction> page = ledger.history(client, accountId, PageRequest.parse(limit, after));
        return Response.ok(page)
                .header("Deprecation", "@" + DEPRECATED.getEpochSecond())
                .header("Sunset", HTTP_DATE.format(SUNSET.atOffset(ZoneOffset.UTC)))
                .header("Link", "</v1/accounts/" + accountId + "/transactions>; rel=\"successor-version\"")
                .build();
    }
}
