package bank.transfers;

import bank.access.ApiClient;
import bank.access.Scope;
import bank.db.UnitOfWork;
import bank.http.Ids;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

@Path("/v1/transfers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Transfers")
public class TransferResource {

    private final TransferService transfers;
    private final UnitOfWork unitOfWork;
    private final IdempotentPosts posts;

    public TransferResource(TransferService transfers, UnitOfWork unitOfWork, IdempotentPosts posts) {
        this.transfers = transfers;
        this.unitOfWork = unitOfWork;
        this.posts = posts;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Scope.TRANSFERS_WRITE)
    @Operation(summary = "Transfer money between two accounts",
            description = "Debits one account and credits the other atomically. The money comes from an account "
                    + "the client owns and may go to any account of the same currency. Refused transfers (422, 404) "
                    + "write nothing. Needs an Idempotency-Key.")
    @ApiResponse(responseCode = "201", description = "Transferred",
            content = @Content(schema = @Schema(implementation = Transfer.class)))
    @ApiResponse(responseCode = "400", ref = "#/components/responses/MalformedRequestOrNoIdempotencyKey")
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @ApiResponse(responseCode = "409", ref = "#/components/responses/RequestInProgress")
    @ApiResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @ApiResponse(responseCode = "422", ref = "#/components/responses/Unprocessable")
    public Response transfer(
            @Parameter(hidden = true) @Auth ApiClient client,
            @Parameter(ref = "#/components/parameters/IdempotencyKey") @HeaderParam(IdempotencyKey.HEADER) String key,
            @NotNull @Valid TransferRequest request) {
        IdempotencyKey idempotencyKey = IdempotencyKey.required(client.id().toString(), key);
        return unitOfWork.run(posts.once(idempotencyKey, "POST /v1/transfers", request, tx -> {
            Transfer transfer = transfers.transfer(tx, client, request);
            return new Created(URI.create("/v1/transfers/" + transfer.id()), transfer);
        }));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Scope.TRANSACTIONS_READ)
    @Operation(summary = "Get a transfer", description = "A transfer is a debit and a credit, so reading it needs "
            + "the scope that reads transactions, and the client must own one of its two accounts.")
    @ApiResponse(responseCode = "200", description = "The transfer",
            content = @Content(schema = @Schema(implementation = Transfer.class)))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Transfer get(@Parameter(hidden = true) @Auth ApiClient client,
                        @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id) {
        return transfers.get(client, Ids.pathId(id, "transfer"));
    }
}
