package bank.access;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code BANK_BOOTSTRAP_API_KEY}: a key the operator chooses, whose client (with every scope) the service makes
 * sure exists at start-up, so that a fresh stack has a working key without anyone running a command.
 *
 * <p>Compose ships a default so that {@code docker compose up} works with no settings. That default is published in
 * this repository, so it is honoured only where {@code DEPLOYMENT_ENVIRONMENT} says {@value #LOCAL}: a deployment
 * that copies the compose file without choosing its own key refuses to start, with a message that says why,
 * instead of running with a key anyone can read. The reasoning is in docs/configuration.md.
 */
public final class BootstrapKey {

    /** The default of compose and .env.example; a key for workstations, known to everyone. */
    public static final String PUBLISHED_LOCAL_KEY = "local-development-key-published-in-the-repository";
    static final String LOCAL = "local";
    static final int MIN_LENGTH = 32;

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapKey.class);

    private BootstrapKey() {
    }

    /**
     * The key to bootstrap, or empty when none is configured.
     *
     * @param deploymentEnvironment {@code DEPLOYMENT_ENVIRONMENT} as set, empty when it is not set
     * @throws IllegalStateException when the key is unfit, saying why; the service then does not start
     */
    static Optional<String> check(String key, String deploymentEnvironment) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        if (key.length() < MIN_LENGTH || !ApiKeys.isWellFormed(key)) {
            throw new IllegalStateException("BANK_BOOTSTRAP_API_KEY must be at least " + MIN_LENGTH + " characters "
                    + "of A-Z, a-z, 0-9 and -._~+/ (for example the output of `openssl rand -base64 36`), so that it "
                    + "cannot be guessed and can be sent as a Bearer token. The service does not start with this key.");
        }
        if (key.equals(PUBLISHED_LOCAL_KEY) && !LOCAL.equals(deploymentEnvironment)) {
            throw new IllegalStateException("BANK_BOOTSTRAP_API_KEY is the key published in docker-compose.yml and "
                    + ".env.example, which anyone can read. It is honoured only where DEPLOYMENT_ENVIRONMENT=local "
                    + "(here it is " + (deploymentEnvironment == null || deploymentEnvironment.isEmpty() ? "not set"
                    : "\"" + deploymentEnvironment + "\"") + "). Set BANK_BOOTSTRAP_API_KEY to a secret of your own, "
                    + "or leave it empty and create clients with the `clients create` command.");
        }
        return Optional.of(key);
    }

    /** Makes sure the configured key's client exists, once the schema is up to date. */
    static void apply(AccessConfig config, ApiClients clients) {
        Optional<String> key = check(config.getBootstrapKey(), config.getDeploymentEnvironment());
        if (key.isEmpty()) {
            return;
        }
        if (key.get().equals(PUBLISHED_LOCAL_KEY)) {
            LOG.warn("the bootstrap API key is the published local-development key, accepted because "
                    + "DEPLOYMENT_ENVIRONMENT=local; never use it anywhere else");
        }
        ApiClient client = clients.ensureBootstrapClient(key.get());
        if (client.revokedAt() != null) {
            LOG.warn("the bootstrap API key's client {} was revoked, and stays revoked; choose another key to "
                    + "bootstrap a new client", client.id());
        } else {
            LOG.info("bootstrap API client {} is ready", client.id());
        }
    }
}
