package bank.access;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an API key may do. Each operation names the one scope it needs with {@code @RolesAllowed}; a key without
 * it gets 403. {@link #ADMIN} needs no operation of its own: it widens what a client sees, from the accounts it
 * opened to every account.
 *
 * <p>Constants rather than an enum, because annotation values must be compile-time constants.
 */
public final class Scope {

    public static final String ACCOUNTS_READ = "accounts:read";
    public static final String ACCOUNTS_WRITE = "accounts:write";
    public static final String TRANSACTIONS_READ = "transactions:read";
    public static final String TRANSACTIONS_WRITE = "transactions:write";
    public static final String TRANSFERS_WRITE = "transfers:write";
    public static final String ADMIN = "admin";

    /** Every scope, in the order they are listed to people. */
    public static final List<String> ALL = List.of(ACCOUNTS_READ, ACCOUNTS_WRITE, TRANSACTIONS_READ,
            TRANSACTIONS_WRITE, TRANSFERS_WRITE, ADMIN);

    private Scope() {
    }

    /**
     * Parses an OAuth-style scope list: names separated by spaces (or commas, as people type them).
     *
     * @throws IllegalArgumentException naming the first unknown scope
     */
    public static Set<String> parse(String scopes) {
        Set<String> parsed = new LinkedHashSet<>();
        for (String scope : scopes.trim().split("[\\s,]+")) {
            if (scope.isEmpty()) {
                continue;
            }
            if (!ALL.contains(scope)) {
                throw new IllegalArgumentException("unknown scope \"" + scope + "\"; the scopes are " + String.join(", ", ALL));
            }
            parsed.add(scope);
        }
        return ordered(parsed);
    }

    /** The space-separated form stored with a client and shown to people, in the order of {@link #ALL}. */
    public static String format(Set<String> scopes) {
        return String.join(" ", ordered(scopes));
    }

    private static Set<String> ordered(Set<String> scopes) {
        return ALL.stream().filter(scopes::contains).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    static Set<String> all() {
        return new LinkedHashSet<>(ALL);
    }
}
