/**
 * Idempotency-Keys: a POST takes effect at most once per key, and a retry gets the first response again.
 *
 * <p>Owns the {@code idempotency_keys} table ({@link bank.idempotency.IdempotencyKeyStore}) and the way a POST runs
 * ({@link bank.idempotency.IdempotentPosts}): one unit of work that holds the key's advisory lock, stores the
 * response with the effect, and commits once. A stored response is never changed while its key is kept; a key
 * belongs to a scope, and is unique within it. Keys and their values never reach logs, spans or error bodies.
 */
package bank.idempotency;
