package bank.idempotency;

import java.net.URI;

/**
 * The result of a request that created something: where it lives (if it has its own URL) and its representation.
 */
public record Created(URI location, Object body) {

    public static Created withoutLocation(Object body) {
        return new Created(null, body);
    }
}
