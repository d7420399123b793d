package bank.access;

import bank.telemetry.BankMetrics;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.CachingAuthenticator;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import org.jdbi.v3.core.Jdbi;

/**
 * Wires API access into the service: the bootstrap client, the key cache and what empties it, the rate limits, and
 * the filters of every operation.
 */
public final class Access {

    private Access() {
    }

    /** To call once the schema is up to date: it may create the bootstrap client. */
    public static void register(Environment environment, AccessConfig config, Jdbi jdbi, DataSourceFactory database,
                                BankMetrics metrics) {
        ApiClients clients = new ApiClients(jdbi);
        BootstrapKey.apply(config, clients);
        // Unknown keys are remembered too (negative caching), so that a client retrying with a wrong key does not
        // cost a lookup each time. A key goes from valid to expired or revoked, never back; its expiry is checked
        // on every request (liveAt below), and a revocation or rotation empties the cache on every instance.
        CachingAuthenticator<String, ApiClient> cached = new CachingAuthenticator<>(environment.metrics(),
                new KeyLookup(clients), Caffeine.newBuilder()
                        .expireAfterWrite(config.getKeyCacheTtl().toJavaDuration())
                        .maximumSize(config.getKeyCacheSize()), true);
        environment.lifecycle().manage(new AccessChanges(() -> listeningConnection(database), cached::invalidateAll));
        KeyUse keyUse = new KeyUse(clients, environment.lifecycle().executorService("key-use").minThreads(1)
                .maxThreads(1).workQueue(new ArrayBlockingQueue<>(1_000)).build(), config.getKeyCacheSize());
        ApiKeyFilter keys = new ApiKeyFilter.Builder(metrics)
                .setAuthenticator(keyHash -> liveAt(Instant.now(), cached.authenticate(keyHash), keyUse))
                .setAuthorizer((client, scope, request) -> client.has(scope))
                .buildAuthFilter();
        RateLimitFilter rateLimit = new RateLimitFilter(rateLimiter(config.getRateLimit(), jdbi),
                config.getRateLimit().defaultPolicy(), metrics);
        environment.jersey().register(new ApiAccessFeature(keys, rateLimit, metrics));
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(ApiClient.class));
    }

    /** A cached client lets a request in only while its key has not expired: expiry needs no cache to be emptied. */
    private static Optional<ApiClient> liveAt(Instant now, Optional<ApiClient> client, KeyUse keyUse) {
        Optional<ApiClient> live = client.filter(c -> c.key().isLive(now));
        live.ifPresent(c -> keyUse.used(c.key()));
        return live;
    }

    private static RateLimiter rateLimiter(AccessConfig.RateLimit config, Jdbi jdbi) {
        RatePolicy policy = config.defaultPolicy();
        Duration refill = Duration.ofSeconds((long) Math.ceil(policy.burst() / policy.perSecond()));
        LocalRateLimits local = new LocalRateLimits(refill.compareTo(Duration.ofHours(1)) > 0 ? refill
                : Duration.ofHours(1));
        return switch (config.getStore()) {
            case MEMORY -> local;
            case DATABASE -> new SharedRateLimits(jdbi, config.getDatabaseTimeout().toJavaDuration(), local);
        };
    }

    /** The listener's own connection, with the pool's settings but outside it: it is held for as long as it lives. */
    private static java.sql.Connection listeningConnection(DataSourceFactory database) throws java.sql.SQLException {
        Properties properties = new Properties();
        properties.putAll(database.getProperties());
        if (database.getUser() != null) {
            properties.setProperty("user", database.getUser());
        }
        if (database.getPassword() != null) {
            properties.setProperty("password", database.getPassword());
        }
        properties.setProperty("ApplicationName", AccessChanges.APPLICATION_NAME);
        return DriverManager.getConnection(database.getUrl(), properties);
    }

    /** Finds the live client of a key's SHA-256, given in hex: the cache's key, never the key itself. */
    private static final class KeyLookup implements Authenticator<String, ApiClient> {
        private final ApiClients clients;

        KeyLookup(ApiClients clients) {
            this.clients = clients;
        }

        @Override
        public Optional<ApiClient> authenticate(String keyHash) {
            return clients.findLive(HexFormat.of().parseHex(keyHash));
        }
    }
}
