package bank.idempotency;

import bank.db.UnitOfWork;
import bank.db.UnitOfWork.Work;
import bank.http.ApiException;
import bank.http.Problem;
import bank.http.ProblemType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The work of a POST, to run as one {@link UnitOfWork}: at most once per Idempotency-Key (IETF
 * draft-ietf-httpapi-idempotency-key-header), with the outcome turned into the response.
 *
 * <p>A keyed POST is one transaction that commits once:
 * <ol>
 *   <li>It takes the key's transaction-scoped advisory lock without waiting. If another request holds the key,
 *       the answer is 409 at once: that request is still running, and waiting for it would tie up a connection.</li>
 *   <li>It looks up the key's stored response. The same request (method, path and body) gets it replayed; another
 *       request gets 422.</li>
 *   <li>Otherwise it runs the work. A refusal the client caused (404, 422) rolls the work back to a savepoint taken
 *       before it, and is stored like a success: the same key always gets the same answer.</li>
 *   <li>It stores the response, and the unit of work commits: the effect and its response exist together or not
 *       at all.</li>
 * </ol>
 * When the transaction dies for any other reason (the database or the connection goes away, the service is
 * killed), nothing is stored and PostgreSQL drops the lock with the transaction, so the retry with the same key
 * runs anew as soon as the database answers. That retry is safe even when the first COMMIT reached the database
 * but its answer was lost: the retry then finds the stored response and replays it.
 *
 * <p>Because a refusal commits, the work must not schedule anything after commit (metrics, logs) until it can no
 * longer be refused.
 */
public class IdempotentPosts {

    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final String BEFORE_WORK = "before_work";

    private final IdempotencyKeyStore keys;
    private final RequestHashes requestHashes;
    private final ObjectMapper json;

    public IdempotentPosts(IdempotencyKeyStore keys, ObjectMapper json) {
        this.keys = keys;
        this.requestHashes = new RequestHashes(json);
        this.json = json;
    }

    /** Without a key the POST's work simply runs; with one, see {@link #once(IdempotencyKey, String, Object, Work)}. */
    public Work<Response> once(Optional<IdempotencyKey> key, String operation, Object request, Work<Created> work) {
        if (key.isPresent()) {
            return once(key.get(), operation, request, work);
        }
        return tx -> {
            Created created = work.in(tx);
            return Response.status(Response.Status.CREATED).location(created.location()).entity(created.body()).build();
        };
    }

    /**
     * @param operation method and path, so that a key cannot be replayed against another endpoint
     * @param request   the parsed body, which with the operation makes the fingerprint the key is bound to
     */
    public Work<Response> once(IdempotencyKey key, String operation, Object request, Work<Created> work) {
        String requestHash = requestHashes.of(operation, request);
        return tx -> {
            if (!keys.tryLock(tx, key)) {
                return inProgress();
            }
            Optional<StoredResponse> earlier = keys.find(tx, key);
            if (earlier.isPresent()) {
                return answerFor(earlier.get(), requestHash);
            }
            StoredResponse response = runOnce(tx, work, requestHash);
            if (!keys.save(tx, key, response)) {
                // Thrown, so that the unit of work rolls the effect back, and with it whatever it scheduled.
                throw new ApiException(ProblemType.REQUEST_IN_PROGRESS, "Another request with this Idempotency-Key "
                        + "was completed meanwhile. Retry to get its response.");
            }
            return toResponse(response, false);
        };
    }

    private StoredResponse runOnce(Handle tx, Work<Created> work, String requestHash) {
        tx.savepoint(BEFORE_WORK);
        try {
            Created created = work.in(tx);
            return new StoredResponse(requestHash, Response.Status.CREATED.getStatusCode(),
                    created.location() == null ? null : created.location().toString(), write(created.body()));
        } catch (ApiException refused) {
            tx.rollbackToSavepoint(BEFORE_WORK);
            Problem problem = refused.problem();
            return new StoredResponse(requestHash, problem.status(), null, write(problem));
        }
    }

    /** A request whose key already has a response: the same request gets it again, another one is refused. */
    static Response answerFor(StoredResponse stored, String requestHash) {
        if (!stored.requestHash().equals(requestHash)) {
            return ProblemType.IDEMPOTENCY_KEY_REUSED
                    .problem("This Idempotency-Key was used with a different request.").toResponse();
        }
        return toResponse(stored, true);
    }

    static Response inProgress() {
        return Response.fromResponse(ProblemType.REQUEST_IN_PROGRESS
                        .problem("A request with this Idempotency-Key is still in progress. Retry later.").toResponse())
                .header(HttpHeaders.RETRY_AFTER, "1").build();
    }

    static Response toResponse(StoredResponse stored, boolean replayed) {
        Response.ResponseBuilder response = Response.status(stored.status())
                .type(stored.status() >= 400 ? Problem.MEDIA : MediaType.APPLICATION_JSON_TYPE)
                .entity(stored.body());
        if (stored.location() != null) {
            response.location(URI.create(stored.location()));
        }
        if (replayed) {
            response.header(REPLAYED_HEADER, "true");
        }
        return response.build();
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response body must serialise", e);
        }
    }
}
