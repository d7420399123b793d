package bank.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyFilterTest {

    @Test
    void bearerCredentialsAreTheTokenAfterTheSchemeInAnyCase() {
        assertThat(ApiKeyFilter.bearerCredentials("Bearer abc")).isEqualTo("abc");
        assertThat(ApiKeyFilter.bearerCredentials("bearer   abc ")).isEqualTo("abc");
        assertThat(ApiKeyFilter.bearerCredentials("BEARER abc def")).isEqualTo("abc def");
    }

    @Test
    void noHeaderAnotherSchemeOrTheSchemeAloneAreNoCredentials() {
        assertThat(ApiKeyFilter.bearerCredentials(null)).isNull();
        assertThat(ApiKeyFilter.bearerCredentials("")).isNull();
        assertThat(ApiKeyFilter.bearerCredentials("Basic dXNlcjpwYXNz")).isNull();
        assertThat(ApiKeyFilter.bearerCredentials("Bearer")).isNull();
        assertThat(ApiKeyFilter.bearerCredentials("Bearer   ")).isNull();
        assertThat(ApiKeyFilter.bearerCredentials("Bearerabc")).isNull();
    }
}
