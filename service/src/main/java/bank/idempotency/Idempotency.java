package bank.idempotency;

import bank.http.ApiException;
import bank.http.ProblemType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs a POST at most once per {@code Idempotency-Key} (IETF draft-ietf-httpapi-idempotency-key-header).
 *
 * <ul>
 *   <li>The key is claimed in its own short transaction, so a concurrent duplicate sees it and gets 409.</li>
 *   <li>The request's effect and the stored response commit in one transaction: either both exist or neither,
 *       so a retry after any failure can never apply the effect twice.</li>
 *   <li>A refusal the client caused (404, 422) is stored too: the same key always gets the same answer.</li>
 *   <li>A failure the client did not cause (database down, timeout) releases the key, so the retry runs anew.</li>
 *   <li>The key is bound to a hash of the method, path and canonical JSON body; another body with the same key
 *       gets 422.</li>
 * </ul>
 * Keys are kept for {@code retention} (24 hours by default) and then purged.
 */
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 255;

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final IdempotencyConfig config;

    public Idempotency(Jdbi jdbi, ObjectMapper json, IdempotencyConfig config) {
        this.jdbi = jdbi;
        this.json = json;
        this.config = config;
    }

    /**
     * Runs {@code work} in a database transaction and answers 201 with its result, or replays the stored answer
     * of an earlier request with the same key.
     *
     * @param key       the Idempotency-Key header, or null when the client sent none
     * @param operation method and path, so a key cannot be replayed against another endpoint
     */
    public Response run(String key, String operation, Object request, HandleCallback<Created, RuntimeException> work) {
        if (key == null) {
            return jdbi.inTransaction(tx -> created(work.withHandle(tx))).toResponse(false);
        }
        validate(key);
        String requestHash = fingerprint(operation, request);
        Optional<Response> earlier = claim(key, requestHash);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        try {
            return jdbi.inTransaction(tx -> {
                StoredResponse response = created(work.withHandle(tx));
                tx.attach(IdempotencyDao.class).complete(key, response.status(), response.location(), response.body());
                return response;
            }).toResponse(false);
        } catch (ApiException refused) {
            StoredResponse response = new StoredResponse(refused.problem().status(), null, write(refused.problem()));
            try {
                jdbi.useExtension(IdempotencyDao.class,
                        dao -> dao.complete(key, response.status(), response.location(), response.body()));
            } catch (RuntimeException storeFailure) {
                releaseQuietly(key, storeFailure);
                throw storeFailure;
            }
            return response.toResponse(false);
        } catch (RuntimeException failure) {
            releaseQuietly(key, failure);
            throw failure;
        }
    }

    /** @return the answer for a duplicate, or empty if this request now owns the key */
    private Optional<Response> claim(String key, String requestHash) {
        long retention = config.getRetention().toSeconds();
        long inFlightTimeout = config.getInFlightTimeout().toSeconds();
        return jdbi.inTransaction(tx -> {
            IdempotencyDao dao = tx.attach(IdempotencyDao.class);
            if (dao.claim(key, requestHash, retention).isPresent()) {
                return Optional.empty();
            }
            IdempotencyDao.Row row = dao.find(key, inFlightTimeout).orElse(null);
            if (row == null) {
                // Released by a failed request between our insert and our read; the client may simply retry.
                return Optional.of(inProgress());
            }
            if (!row.requestHash().equals(requestHash)) {
                return Optional.of(new ApiException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was used with a different request.").problem().toResponse());
            }
            if (row.completed()) {
                return Optional.of(row.response().toResponse(true));
            }
            if (row.stale() && dao.takeOverStale(key, inFlightTimeout) == 1) {
                return Optional.empty();
            }
            return Optional.of(inProgress());
        });
    }

    private static Response inProgress() {
        return Response.fromResponse(ProblemType.REQUEST_IN_PROGRESS
                        .problem("A request with this Idempotency-Key is still in progress. Retry later.").toResponse())
                .header(HttpHeaders.RETRY_AFTER, "1").build();
    }

    private void releaseQuietly(String key, RuntimeException failure) {
        try {
            jdbi.useExtension(IdempotencyDao.class, dao -> dao.release(key));
        } catch (RuntimeException releaseFailure) {
            // The claim goes stale after in-flight-timeout and is then taken over by a retry.
            failure.addSuppressed(releaseFailure);
        }
    }

    private StoredResponse created(Created created) {
        return new StoredResponse(201, created.location() == null ? null : created.location().toString(),
                write(created.body()));
    }

    private static void validate(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.invalid(HEADER, "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
        }
    }

    /** What a key is bound to: SHA-256 over the operation and the request as canonical JSON. */
    String fingerprint(String operation, Object request) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(operation.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) '\n');
            sha256.update(json.writeValueAsBytes(request));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes expired keys; called periodically by {@link IdempotencyKeyPurger}. */
    int purgeExpired(int batch) {
        return jdbi.withExtension(IdempotencyDao.class,
                dao -> dao.purgeExpired(config.getRetention().toSeconds(), batch));
    }
}
