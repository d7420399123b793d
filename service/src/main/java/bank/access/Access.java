package bank.access;

import bank.telemetry.BankMetrics;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.CachingAuthenticator;
import io.dropwizard.core.setup.Environment;
import java.util.HexFormat;
import java.util.Optional;

/** Wires API access into the service: the bootstrap client, the key cache, and the filters of every operation. */
public final class Access {

    private Access() {
    }

    /** To call once the schema is up to date: it may create the bootstrap client. */
    public static void register(Environment environment, AccessConfig config, ApiClients clients, BankMetrics metrics) {
        BootstrapKey.apply(config, clients);
        // Unknown keys are remembered too (negative caching), so that a client retrying with a wrong key does not
        // cost a lookup each time; a key only ever goes from valid to revoked, never the other way.
        CachingAuthenticator<String, ApiClient> cached = new CachingAuthenticator<>(environment.metrics(),
                new KeyLookup(clients), Caffeine.newBuilder()
                        .expireAfterWrite(config.getKeyCacheTtl().toJavaDuration())
                        .maximumSize(config.getKeyCacheSize()), true);
        ApiKeyFilter keys = new ApiKeyFilter.Builder(metrics)
                .setAuthenticator(cached)
                .setAuthorizer((client, scope, request) -> client.has(scope))
                .buildAuthFilter();
        RateLimitFilter rateLimit = new RateLimitFilter(new RateLimits(config.getRateLimit()), metrics);
        environment.jersey().register(new ApiAccessFeature(keys, rateLimit, metrics));
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(ApiClient.class));
    }

    /** Finds the active client of a key's SHA-256, given in hex: the cache's key, never the key itself. */
    private static final class KeyLookup implements Authenticator<String, ApiClient> {
        private final ApiClients clients;

        KeyLookup(ApiClients clients) {
            this.clients = clients;
        }

        @Override
        public Optional<ApiClient> authenticate(String keyHash) {
            return clients.findActive(HexFormat.of().parseHex(keyHash));
        }
    }
}
