package bank.http;

import java.util.Optional;
import java.util.UUID;

/** Parses ids from paths and query strings. A malformed id names nothing, so callers answer 404 or 422. */
public final class Ids {

    private Ids() {
    }

    public static Optional<UUID> parse(String value) {
        if (value == null || value.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Resolves a path id, answering 404 for anything that is not a UUID. */
    public static UUID pathId(String value, String what) {
        return parse(value).orElseThrow(() -> ApiException.notFound(what));
    }
}
