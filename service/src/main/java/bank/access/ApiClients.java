package bank.access;

import bank.db.UuidV7;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * The API's clients and their keys: creating, listing, rotating and revoking them, their rate limits, and finding
 * the client of a key. Every change that a running instance must hear of at once is announced to all of them in
 * its own transaction (see {@link AccessChanges}).
 */
public class ApiClients {

    /** The most keys that let a client in at once: the current one, and the one it replaced while it expires. */
    static final int MAX_LIVE_KEYS = 2;

    /** A client just created, or a key just made, with the key: the only moment it exists outside its holder's hands. */
    public record Created(ApiClient client, String key) {
        /** The key stays out of the text form, so that a client logged by accident leaks nothing. */
        @Override
        public String toString() {
            return "Created[" + client + "]";
        }
    }

    /** A client with all its keys, the newest last. */
    public record Listed(ApiClient client, List<ApiKey> keys) {
    }

    private final Jdbi jdbi;

    public ApiClients(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Created create(String name, Set<String> scopes) {
        return create(name, scopes, null);
    }

    /** @param ratePolicy the client's own rate limit, or null for the configured default */
    public Created create(String name, Set<String> scopes, RatePolicy ratePolicy) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("a client's name is 1 to 100 characters");
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one scope; the scopes are "
                    + String.join(", ", Scope.ALL));
        }
        String key = ApiKeys.generate();
        ApiClient client = jdbi.inTransaction(tx -> {
            ApiClientDao dao = tx.attach(ApiClientDao.class);
            ApiClient created = dao.insert(UuidV7.next(), name.strip(), Scope.format(scopes),
                    ratePolicy == null ? null : ratePolicy.perSecond(), ratePolicy == null ? null : ratePolicy.burst());
            dao.insertKey(ApiKeys.hash(key), created.id(), ApiKeys.shownPart(key));
            return created;
        });
        return new Created(client, key);
    }

    public List<Listed> list() {
        return jdbi.withExtension(ApiClientDao.class, dao -> {
            Map<UUID, List<ApiKey>> keys = dao.allKeys().stream().collect(Collectors.groupingBy(
                    ApiClientDao.ClientKey::client, Collectors.mapping(ApiClientDao.ClientKey::key, Collectors.toList())));
            List<Listed> listed = new ArrayList<>();
            for (ApiClient client : dao.all()) {
                listed.add(new Listed(client, keys.getOrDefault(client.id(), List.of())));
            }
            return listed;
        });
    }

    /** @return the client, now revoked with all its keys; empty if no client has this id */
    public Optional<ApiClient> revoke(UUID id) {
        return jdbi.inTransaction(tx -> {
            ApiClientDao dao = tx.attach(ApiClientDao.class);
            dao.revoke(id);
            dao.notifyInstances();
            return dao.find(id);
        });
    }

    /**
     * Gives the client a new key, and lets its live keys work for {@code oldKeyLifetime} more at most (none at all
     * for zero).
     *
     * @throws IllegalArgumentException for an unknown or revoked client, or one that would hold more than
     *                                  {@value #MAX_LIVE_KEYS} live keys
     */
    public Created rotate(UUID id, Duration oldKeyLifetime) {
        if (oldKeyLifetime.isNegative()) {
            throw new IllegalArgumentException("the old key's lifetime cannot be negative");
        }
        String key = ApiKeys.generate();
        ApiClient client = jdbi.inTransaction(tx -> {
            ApiClientDao dao = tx.attach(ApiClientDao.class);
            ApiClient locked = dao.lock(id).orElseThrow(() -> new IllegalArgumentException("no client has the id " + id));
            if (locked.revokedAt() != null) {
                throw new IllegalArgumentException("the client " + id + " is revoked; create a new one");
            }
            dao.expireLiveKeys(id, oldKeyLifetime.toSeconds());
            if (dao.countLiveKeys(id) >= MAX_LIVE_KEYS) {
                throw new IllegalArgumentException("the client " + id + " already holds " + MAX_LIVE_KEYS + " live "
                        + "keys; rotate again once the older has expired, or end both now with "
                        + "--old-key-expires-in 0s");
            }
            dao.insertKey(ApiKeys.hash(key), id, ApiKeys.shownPart(key));
            dao.notifyInstances();
            return locked;
        });
        return new Created(client, key);
    }

    /**
     * @param policy the client's own limit, or null to go back to the configured default
     * @return the client, with its limit; empty if no client has this id
     */
    public Optional<ApiClient> setRatePolicy(UUID id, RatePolicy policy) {
        return jdbi.inTransaction(tx -> {
            ApiClientDao dao = tx.attach(ApiClientDao.class);
            Optional<ApiClient> client = dao.setRatePolicy(id, policy == null ? null : policy.perSecond(),
                    policy == null ? null : policy.burst());
            dao.notifyInstances();
            return client;
        });
    }

    public List<ApiKey> keysOf(UUID id) {
        return jdbi.withExtension(ApiClientDao.class, dao -> dao.keysOf(id));
    }

    /** The client whose key has this SHA-256 and still lets it in; empty for a key unknown, revoked or expired alike. */
    Optional<ApiClient> findLive(byte[] keyHash) {
        return jdbi.withExtension(ApiClientDao.class, dao -> dao.findLive(keyHash));
    }

    /** @return whether this wrote, that is whether the key's last use was not recorded within the last minute */
    boolean recordUse(String keyHash) {
        return jdbi.withExtension(ApiClientDao.class, dao -> dao.recordUse(HexFormat.of().parseHex(keyHash))) > 0;
    }

    /**
     * Makes sure the bootstrap key's client exists with every scope (see {@link BootstrapKey}). Safe when several
     * instances start at once: the key's hash is unique, so one inserts it and the others, which wait for that
     * insert to commit, insert nothing, roll their client back and find the winner's.
     *
     * @return the client, which is revoked if someone revoked it: that stays so
     */
    ApiClient ensureBootstrapClient(String key) {
        byte[] hash = ApiKeys.hash(key);
        String scopes = Scope.format(Scope.all());
        for (int attempt = 0; ; attempt++) {
            Optional<ApiClient> existing = jdbi.withExtension(ApiClientDao.class, dao -> dao.findByKey(hash).map(c -> {
                dao.setScopesUnlessRevoked(c.id(), scopes);
                return dao.find(c.id()).orElseThrow();
            }));
            if (existing.isPresent()) {
                return existing.get();
            }
            Optional<ApiClient> inserted = jdbi.inTransaction(tx -> {
                ApiClientDao dao = tx.attach(ApiClientDao.class);
                ApiClient client = dao.insert(UuidV7.next(), "bootstrap", scopes, null, null);
                if (dao.insertKey(hash, client.id(), ApiKeys.shownPart(key)) == 0) {
                    tx.rollback();
                    return Optional.<ApiClient>empty();
                }
                return Optional.of(client);
            });
            if (inserted.isPresent() || attempt > 3) {
                return inserted.orElseThrow(() -> new IllegalStateException("the bootstrap client was neither found "
                        + "nor created"));
            }
        }
    }
}
