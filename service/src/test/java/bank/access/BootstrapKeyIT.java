package bank.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bank.BankApplication;
import bank.BankConfiguration;
import bank.testing.BankApi;
import bank.testing.TestDatabase;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * BANK_BOOTSTRAP_API_KEY: the service makes sure its client exists with every scope, once however often and however
 * many instances start; it never undoes a revocation; and the key published for local use stops a start anywhere
 * that does not say it is local.
 */
class BootstrapKeyIT {

    private static final String KEY = "an-operators-own-bootstrap-key-of-45-chars-x";

    @RegisterExtension
    static final BankApi api = new BankApi(ConfigOverride.config("access.bootstrapKey", KEY),
            ConfigOverride.config("access.deploymentEnvironment", "production"));

    @Test
    void theBootstrapKeyHasEveryScopeAndSeesEveryAccount() {
        String account = api.openAccount("USD");
        BankApi operator = api.withKey(KEY);

        assertThat(operator.get("/v1/accounts").expect(200).body().get("items").get(0).get("id").asText())
                .isEqualTo(account);
        operator.postKeyed("/v1/accounts/" + account + "/transactions", Map.of("type", "CREDIT", "amount", 5)).expect(201);
        operator.postKeyed("/v1/accounts", Map.of("firstName", "Op", "lastName", "Erator")).expect(201);
        assertThat(clientsWith(KEY)).isEqualTo(1);
        assertThat(api.database().queryLong("SELECT count(*) FROM api_clients c JOIN api_keys k ON k.client_id = c.id "
                + "WHERE k.key_hash = decode(?, 'hex') AND c.name = 'bootstrap' AND c.scopes = ?", hex(KEY), String.join(" ", Scope.ALL))).isEqualTo(1);
    }

    @Test
    void instancesStartingAgainAndAtOnceLeaveOneClient() throws Exception {
        String key = "another-bootstrap-key-for-concurrent-starts-0";
        AccessConfig config = config(key);
        ApiClients clients = new ApiClients(api.database().jdbi());
        int instances = 8;
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> starts = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                starts.add(pool.submit(() -> {
                    start.await();
                    BootstrapKey.apply(config, clients);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> started : starts) {
                started.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        BootstrapKey.apply(config, clients);

        assertThat(clientsWith(key)).isEqualTo(1);
        assertThat(api.database().queryLong("SELECT count(*) FROM api_clients c WHERE NOT EXISTS "
                + "(SELECT 1 FROM api_keys k WHERE k.client_id = c.id)")).as("clients left without a key").isZero();
        api.withKey(key).get("/v1/accounts").expect(200);
    }

    @Test
    void aRevokedBootstrapClientStaysRevokedWhenTheServiceStartsAgain() {
        String key = "a-bootstrap-key-that-someone-revoked-000000";
        ApiClients clients = new ApiClients(api.database().jdbi());
        BootstrapKey.apply(config(key), clients);
        clients.revoke(api.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT client_id FROM api_keys WHERE key_hash = :hash").bind("hash", ApiKeys.hash(key)).mapTo(UUID.class).one()));

        BootstrapKey.apply(config(key), clients);

        assertThat(api.database().queryLong("SELECT count(*) FROM api_clients c JOIN api_keys k ON k.client_id = c.id "
                + "WHERE k.key_hash = decode(?, 'hex') AND c.revoked_at IS NOT NULL AND k.revoked_at IS NOT NULL", hex(key))).isEqualTo(1);
        assertThat(clientsWith(key)).isEqualTo(1);
    }

    @Test
    void thePublishedKeyStopsTheServiceFromStartingOutsideALocalEnvironment() {
        DropwizardTestSupport<BankConfiguration> app = new DropwizardTestSupport<>(BankApplication.class, "config.yml",
                ConfigOverride.config("database.url", api.database().url()),
                ConfigOverride.config("database.user", TestDatabase.USER),
                ConfigOverride.config("database.password", TestDatabase.PASSWORD),
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("access.bootstrapKey", BootstrapKey.PUBLISHED_LOCAL_KEY),
                ConfigOverride.config("access.deploymentEnvironment", "production"));
        try {
            assertThatThrownBy(app::before).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("BANK_BOOTSTRAP_API_KEY is the key published in docker-compose.yml")
                    .hasMessageContaining("here it is \"production\"");
        } finally {
            app.after();
        }
        assertThat(clientsWith(BootstrapKey.PUBLISHED_LOCAL_KEY)).isZero();
    }

    private static AccessConfig config(String key) {
        AccessConfig config = new AccessConfig();
        config.setBootstrapKey(key);
        return config;
    }

    private static long clientsWith(String key) {
        return api.database().queryLong("SELECT count(*) FROM api_clients c JOIN api_keys k ON k.client_id = c.id "
                + "WHERE k.key_hash = decode(?, 'hex')", hex(key));
    }

    private static String hex(String key) {
        return HexFormat.of().formatHex(ApiKeys.hash(key));
    }
}
