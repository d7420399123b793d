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
 * @param keyShown  the non-secret start of its key (see {@link ApiKeys#shownPart}), or null for a client without
 *                  a key, such as the legacy owner of the accounts that existed before clients did
 * @param revokedAt when its key stopped working, or null
 */
public record ApiClient(UUID id, String name, String keyShown, Set<String> scopes, Instant createdAt,
                        Instant revokedAt) implements Principal {

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
