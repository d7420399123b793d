package bank.accounts;

import bank.access.ApiClient;
import bank.access.Scope;
import bank.db.UnitOfWork;
import bank.http.Ids;
import bank.http.Page;
import bank.http.PageRequest;
import bank.idempotency.Created;
import bank.idempotency.IdempotencyKey;
import bank.idempotency.IdempotentPosts;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;

@Path("/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts")
public class AccountResource {

    private final AccountService accounts;
    private final UnitOfWork unitOfWork;
    private final IdempotentPosts posts;

    public AccountResource(AccountService accounts, UnitOfWork unitOfWork, IdempotentPosts posts) {
        this.accounts = accounts;
        this.unitOfWork = unitOfWork;
        this.posts = posts;
    }

    public static URI location(UUID id) {
        return URI.create("/v1/accounts/" + id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Scope.ACCOUNTS_WRITE)
    @Operation(summary = "Open an account", description = "Opens an account with a zero balance, owned by the "
            + "client whose key opens it.")
    @ApiResponse(responseCode = "201", description = "Opened",
            content = @Content(schema = @Schema(implementation = Account.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/MalformedRequest")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/RequestInProgress")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Unprocessable")
    public Response open(
            @Parameter(hidden = true) @Auth ApiClient client,
            @Parameter(ref = "#/components/parameters/OptionalIdempotencyKey")
            @HeaderParam(IdempotencyKey.HEADER) String key,
            @NotNull @Valid OpenAccountRequest request) {
        Optional<IdempotencyKey> idempotencyKey = IdempotencyKey.optional(client.id().toString(), key);
        return unitOfWork.run(posts.once(idempotencyKey, "POST /v1/accounts", request, tx -> {
            Account account = accounts.open(tx, client, request);
            return new Created(location(account.id()), account);
        }));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Scope.ACCOUNTS_READ)
    @Operation(summary = "Get an account")
    @ApiResponse(responseCode = "200", description = "The account",
            content = @Content(schema = @Schema(implementation = Account.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Account get(@Parameter(hidden = true) @Auth ApiClient client,
                       @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id) {
        return accounts.get(client, Ids.pathId(id, "account"));
    }

    @GET
    @RolesAllowed(Scope.ACCOUNTS_READ)
    @Operation(summary = "List accounts", description = "The client's own accounts (every account with the `admin` "
            + "scope), oldest first. Pass the `next` cursor of a page as `after` to get the following page; `next` is "
            + "null on the last page.")
    @ApiResponse(responseCode = "200", description = "A page of accounts",
            content = @Content(schema = @Schema(ref = "#/components/schemas/PageAccount")))
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Unprocessable")
    public Page<Account> list(
            @Parameter(hidden = true) @Auth ApiClient client,
            @QueryParam("limit") @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200",
                    defaultValue = "50")) String limit,
            @QueryParam("after") @Parameter(schema = @Schema(format = "uuid")) String after) {
        return accounts.list(client, PageRequest.parse(limit, after));
    }
}
