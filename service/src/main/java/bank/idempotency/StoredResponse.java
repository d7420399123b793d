package bank.idempotency;

/**
 * What is stored under an Idempotency-Key: the fingerprint of the request that first used it, and the response
 * that request got, as it was sent, so that a retry gets it again byte for byte. Public only for JDBI, which binds
 * its fields by their accessors.
 *
 * @param location the Location header, or null
 * @param body     the JSON body: the created resource, or the problem document of a refusal
 */
public record StoredResponse(String requestHash, int status, String location, String body) {
}
