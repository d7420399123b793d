package bank.access;

import java.time.Instant;

/**
 * One of a client's keys, as stored: never the key, only the start that tells keys apart (see
 * {@link ApiKeys#shownPart}).
 *
 * @param hash      the key's SHA-256 in hex: what identifies it in the table and the key cache
 * @param expiresAt when it stops working because it was rotated, or null for a key without an end
 * @param lastUsed  the last request made with it, to within a minute; null if it has not been used
 */
public record ApiKey(String hash, String shown, Instant createdAt, Instant expiresAt, Instant revokedAt,
                     Instant lastUsed) {

    /** What {@code clients list} says of a key. */
    public enum State {
        ACTIVE, EXPIRING, EXPIRED, REVOKED;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public State state(Instant now) {
        if (revokedAt != null) {
            return State.REVOKED;
        }
        if (expiresAt == null) {
            return State.ACTIVE;
        }
        return expiresAt.isAfter(now) ? State.EXPIRING : State.EXPIRED;
    }

    /** Whether it lets a request in at this instant. */
    boolean isLive(Instant now) {
        State state = state(now);
        return state == State.ACTIVE || state == State.EXPIRING;
    }

    /** The hash stays out of the text form: it is what finds a client in the cache. */
    @Override
    public String toString() {
        return "ApiKey[" + shown + "..., " + state(Instant.now()) + "]";
    }
}
