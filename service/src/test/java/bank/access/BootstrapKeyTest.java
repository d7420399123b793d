package bank.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BootstrapKeyTest {

    private static final String OWN_KEY = "an-operators-own-secret-of-40-characters";

    @Test
    void noKeyMeansNoBootstrapClient() {
        assertThat(BootstrapKey.check("", "production")).isEmpty();
        assertThat(BootstrapKey.check(null, "")).isEmpty();
    }

    @Test
    void anOperatorsOwnKeyIsAcceptedAnywhere() {
        assertThat(BootstrapKey.check(OWN_KEY, "production")).contains(OWN_KEY);
        assertThat(BootstrapKey.check(OWN_KEY, "")).contains(OWN_KEY);
    }

    @Test
    void thePublishedKeyIsRefusedUnlessTheEnvironmentSaysItIsLocal() {
        assertThat(BootstrapKey.check(BootstrapKey.PUBLISHED_LOCAL_KEY, "local")).contains(BootstrapKey.PUBLISHED_LOCAL_KEY);
        for (String environment : new String[] {"", "production", "staging", "Local"}) {
            assertThatThrownBy(() -> BootstrapKey.check(BootstrapKey.PUBLISHED_LOCAL_KEY, environment)).as(environment)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("BANK_BOOTSTRAP_API_KEY is the key published")
                    .hasMessageContaining("DEPLOYMENT_ENVIRONMENT=local")
                    .hasMessageContaining("clients create");
        }
    }

    @Test
    void aShortOrUnsendableKeyIsRefusedWithoutEchoingIt() {
        for (String bad : new String[] {"x".repeat(31), "thirty-two characters with spaces"}) {
            assertThatThrownBy(() -> BootstrapKey.check(bad, "local")).as(bad)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("at least 32 characters")
                    .message().doesNotContain(bad);
        }
    }

    @Test
    void composeAndItsEnvExamplePublishTheKeyTheServiceKnowsAsPublished() throws IOException {
        String compose = Files.readString(Path.of("..", "docker-compose.yml"));
        String envExample = Files.readString(Path.of("..", ".env.example"));

        assertThat(compose).contains("BANK_BOOTSTRAP_API_KEY: ${BANK_BOOTSTRAP_API_KEY:-" + BootstrapKey.PUBLISHED_LOCAL_KEY + "}")
                .contains("TRAFFIC_API_KEY: ${BANK_BOOTSTRAP_API_KEY:-" + BootstrapKey.PUBLISHED_LOCAL_KEY + "}");
        assertThat(envExample).contains("\nBANK_BOOTSTRAP_API_KEY=" + BootstrapKey.PUBLISHED_LOCAL_KEY + "\n");
    }

    @Test
    void thePublishedKeyIsLongEnoughToBeUsed() {
        assertThat(BootstrapKey.PUBLISHED_LOCAL_KEY.length()).isGreaterThanOrEqualTo(BootstrapKey.MIN_LENGTH);
        assertThat(ApiKeys.isWellFormed(BootstrapKey.PUBLISHED_LOCAL_KEY)).isTrue();
    }
}
