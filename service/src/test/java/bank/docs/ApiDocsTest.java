package bank.docs;

import static org.assertj.core.api.Assertions.assertThat;

import bank.idempotency.IdempotencyConfig;
import bank.idempotency.IdempotencyKey;
import io.dropwizard.util.Duration;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.parameters.Parameter;
import org.junit.jupiter.api.Test;

/** What the OpenAPI document says about Idempotency-Key comes from the values the service applies. */
class ApiDocsTest {

    @Test
    void theKeysRetentionIsTheConfiguredOne() {
        OpenAPI twoHours = ApiDocs.document(Duration.hours(2));
        OpenAPI byDefault = ApiDocs.document(new IdempotencyConfig().getRetention());

        for (String name : new String[] {"IdempotencyKey", "OptionalIdempotencyKey"}) {
            assertThat(parameter(twoHours, name).getDescription()).as(name)
                    .contains("Keys are kept for 2 hours.").doesNotContain("24");
            assertThat(parameter(byDefault, name).getDescription()).as(name).contains("Keys are kept for 24 hours.");
        }
        assertThat(ApiDocs.document(Duration.days(1)).getComponents().getParameters().get("IdempotencyKey")
                .getDescription()).contains("Keys are kept for 1 day.");
    }

    @Test
    void theKeysLengthIsTheOneTheServiceChecks() {
        Parameter key = parameter(ApiDocs.document(Duration.hours(24)), "IdempotencyKey");

        assertThat(key.getSchema().getMinLength()).isEqualTo(1);
        assertThat(key.getSchema().getMaxLength()).isEqualTo(IdempotencyKey.MAX_LENGTH);
        assertThat(key.getName()).isEqualTo(IdempotencyKey.HEADER);
    }

    private static Parameter parameter(OpenAPI document, String name) {
        return document.getComponents().getParameters().get(name);
    }
}
