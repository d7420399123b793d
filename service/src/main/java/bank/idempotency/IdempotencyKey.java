package bank.idempotency;

import bank.http.ApiException;
import bank.http.ProblemType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An {@code Idempotency-Key} header within its scope. The scope says whose key it is: the id of the API client that
 * sent it, so that the same value from two clients is two keys, and one client's key can never replay another
 * client's response. (Keys stored before the API had clients are in the empty scope, which no request uses; they
 * expire with their retention.)
 *
 * @param scope the id of the client that sent the key
 * @param value 1 to 255 visible ASCII characters, as the client sent it
 */
public record IdempotencyKey(String scope, String value) {

    public static final String HEADER = "Idempotency-Key";
    public static final int MAX_LENGTH = 255;

    public IdempotencyKey {
        if (value.isEmpty() || value.length() > MAX_LENGTH || !value.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.invalid(HEADER, "must be 1 to " + MAX_LENGTH + " visible ASCII characters");
        }
    }

    /**
     * For a POST that moves money. Without a key, a client that got no answer (a timeout, a 503 after the commit
     * reached the database) cannot know whether to retry, and a retry could move the money twice.
     */
    public static IdempotencyKey required(String scope, String header) {
        if (header == null) {
            throw new ApiException(ProblemType.IDEMPOTENCY_KEY_REQUIRED, "This request moves money, so it needs an "
                    + HEADER + " header with a value unique to the operation, such as a UUID. A retry with the same "
                    + "key is safe: the operation takes effect at most once.");
        }
        return new IdempotencyKey(scope, header);
    }

    /** For a POST where a duplicate does no harm that the client cannot see and undo. */
    public static Optional<IdempotencyKey> optional(String scope, String header) {
        return Optional.ofNullable(header).map(value -> new IdempotencyKey(scope, value));
    }

    /**
     * The id of the PostgreSQL advisory lock that stands for this key: the first 64 bits of SHA-256 over the
     * scope, prefixed by its length so that no scope and key can run into another pair, and the key.
     */
    long lockId() {
        byte[] scope = this.scope.getBytes(StandardCharsets.UTF_8);
        var sha256 = RequestHashes.sha256();
        sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(scope.length).array());
        sha256.update(scope);
        sha256.update(value.getBytes(StandardCharsets.US_ASCII));
        return ByteBuffer.wrap(sha256.digest()).getLong();
    }

    /** Leaves the value out, so that a key logged by accident is not a key leaked: keys stay out of logs. */
    @Override
    public String toString() {
        return "IdempotencyKey[scope=" + scope + "]";
    }
}
