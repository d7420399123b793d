package bank.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint an Idempotency-Key is bound to: SHA-256 over the operation (method and path) and the request
 * as canonical JSON, in hex. The same key with another fingerprint is another request, and is refused.
 */
final class RequestHashes {

    private final ObjectMapper json;

    RequestHashes(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param operation method and path, so that a key cannot be replayed against another endpoint
     * @param request   the parsed request body; its JSON form does not depend on the client's spacing or field order
     */
    String of(String operation, Object request) {
        MessageDigest sha256 = sha256();
        sha256.update(operation.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) '\n');
        try {
            sha256.update(json.writeValueAsBytes(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed request must serialise", e);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
