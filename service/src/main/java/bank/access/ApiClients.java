package bank.access;

import bank.db.UuidV7;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The API's clients and their keys: creating, listing and revoking them, and finding the client of a key. */
public class ApiClients {

    /** A client just created, with its key: the only moment the key exists outside its holder's hands. */
    public record Created(ApiClient client, String key) {
        /** The key stays out of the text form, so that a client logged by accident leaks nothing. */
        @Override
        public String toString() {
            return "Created[" + client + "]";
        }
    }

    private final Jdbi jdbi;

    public ApiClients(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Created create(String name, Set<String> scopes) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("a client's name is 1 to 100 characters");
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one scope; the scopes are "
                    + String.join(", ", Scope.ALL));
        }
        String key = ApiKeys.generate();
        ApiClient client = jdbi.withExtension(ApiClientDao.class, dao -> dao.insert(UuidV7.next(), name.strip(),
                ApiKeys.hash(key), ApiKeys.shownPart(key), Scope.format(scopes)));
        return new Created(client, key);
    }

    public List<ApiClient> list() {
        return jdbi.withExtension(ApiClientDao.class, ApiClientDao::all);
    }

    /** @return the client, now revoked; empty if no client has this id */
    public Optional<ApiClient> revoke(UUID id) {
        return jdbi.inTransaction(tx -> {
            ApiClientDao dao = tx.attach(ApiClientDao.class);
            dao.revoke(id);
            return dao.find(id);
        });
    }

    /** The active client whose key has this SHA-256; empty for a key that is unknown or revoked alike. */
    Optional<ApiClient> findActive(byte[] keyHash) {
        return jdbi.withExtension(ApiClientDao.class, dao -> dao.findActive(keyHash));
    }

    /**
     * Makes sure the bootstrap key's client exists with every scope (see {@link BootstrapKey}).
     *
     * @return the client, which is revoked if someone revoked it: that stays so
     */
    ApiClient ensureBootstrapClient(String key) {
        byte[] hash = ApiKeys.hash(key);
        return jdbi.withExtension(ApiClientDao.class, dao -> dao.upsertBootstrap(UuidV7.next(), "bootstrap", hash,
                        ApiKeys.shownPart(key), Scope.format(Scope.all()))
                .or(() -> dao.findByKey(hash))
                .orElseThrow());
    }
}
