package bank.access;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A client of the API: who sent a request, once its key has been checked.
 *
 * <p>As a {@link Principal}, its name is its id: the id identifies a client in logs, spans and the database,
 * while {@link #name} is a label for people, which stays out of telemetry.
 *
 * @param revokedAt  when it and all its keys stopped working, or null
 * @param ratePolicy its own rate limit, or null for the configured default
 * @param key        the key a request came with; null where no request is concerned, as in a listing
 */
public record ApiClient(UUID id, String name, Set<String> scopes, Instant createdAt, Instant revokedAt,
                        RatePolicy ratePolicy, ApiKey key) implements Principal {

    public ApiClient {
        scopes = Set.copyOf(scopes);
    }

    public boolean has(String scope) {
        return scopes.contains(scope);
    }

    /** An administrator sees and acts on every account; any other client only on the accounts it opened. */
    public boolean isAdministrator() {
        return has(Scope.ADMIN);
    }

    ApiClient withKey(ApiKey key) {
        return new ApiClient(id, name, scopes, createdAt, revokedAt, ratePolicy, key);
    }

    @Override
    public String getName() {
        return id.toString();
    }

    /** Id and scopes only: the name is a label for people and stays out of logs. */
    @Override
    public String toString() {
        return "ApiClient[id=" + id + ", scopes=" + Scope.format(scopes) + "]";
    }
}
