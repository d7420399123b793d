package bank.ledger;

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
import java.util.UUID;

@Path("/v1/accounts/{id}/transactions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Transactions")
public class TransactionResource {

    private final LedgerService ledger;
    private final UnitOfWork unitOfWork;
    private final IdempotentPosts posts;

    public TransactionResource(LedgerService ledger, UnitOfWork unitOfWork, IdempotentPosts posts) {
        this.ledger = ledger;
        this.unitOfWork = unitOfWork;
        this.posts = posts;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Scope.TRANSACTIONS_WRITE)
    @Operation(summary = "Credit or debit an account",
            description = "A DEBIT larger than the balance is refused with 422 and writes nothing. Needs an "
                    + "Idempotency-Key.")
    @ApiResponse(responseCode = "201", description = "Posted",
            content = @Content(schema = @Schema(implementation = Transaction.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/MalformedRequestOrNoIdempotencyKey")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/RequestInProgress")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Unprocessable")
    public Response post(
            @Parameter(hidden = true) @Auth ApiClient client,
            @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id,
            @Parameter(ref = "#/components/parameters/IdempotencyKey") @HeaderParam(IdempotencyKey.HEADER) String key,
            @NotNull @Valid PostTransactionRequest request) {
        IdempotencyKey idempotencyKey = IdempotencyKey.required(client.id().toString(), key);
        UUID accountId = Ids.pathId(id, "account");
        String operation = "POST /v1/accounts/" + accountId + "/transactions";
        return unitOfWork.run(posts.once(idempotencyKey, operation, request,
                tx -> {
                    Transaction line = ledger.post(tx, client, accountId, request);
                    return new Created(location(line), line);
                }));
    }

    static URI location(Transaction line) {
        return URI.create("/v1/accounts/" + line.accountId() + "/transactions/" + line.id());
    }

    @GET
    @Path("/{transactionId}")
    @RolesAllowed(Scope.TRANSACTIONS_READ)
    @Operation(summary = "Get a transaction", description = "One line of an account's ledger: a credit, a debit, or "
            + "one side of a transfer. The same 404 as an unknown account for an account the client may not see, and "
            + "for a transaction of another account.")
    @ApiResponse(responseCode = "200", description = "The transaction",
            content = @Content(schema = @Schema(implementation = Transaction.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Transaction get(
            @Parameter(hidden = true) @Auth ApiClient client,
            @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id,
            @PathParam("transactionId") @Parameter(schema = @Schema(format = "uuid")) String transactionId) {
        return ledger.get(client, Ids.pathId(id, "account"), Ids.pathId(transactionId, "transaction"));
    }

    @GET
    @RolesAllowed(Scope.TRANSACTIONS_READ)
    @Operation(summary = "List an account's transactions", description = "Newest first. Pass the `next` cursor "
            + "of a page as `after` to get the following page; `next` is null on the last page.")
    @ApiResponse(responseCode = "200", description = "A page of transactions",
            content = @Content(schema = @Schema(ref = "#/components/schemas/PageTransaction")))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Unprocessable")
    public Page<Transaction> list(
            @Parameter(hidden = true) @Auth ApiClient client,
            @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id,
            @QueryParam("limit") @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200",
                    defaultValue = "50")) String limit,
            @QueryParam("after") @Parameter(schema = @Schema(format = "uuid")) String after) {
        UUID accountId = Ids.pathId(id, "account");
        return ledger.history(client, accountId, PageRequest.parse(limit, after));
    }
}
