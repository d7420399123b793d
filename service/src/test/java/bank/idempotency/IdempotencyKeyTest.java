package bank.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bank.http.ApiException;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    @Test
    void aMissingKeyIsRefusedWhereOneIsRequiredAndAbsentWhereItIsOptional() {
        assertThatThrownBy(() -> IdempotencyKey.required("client-1", null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(400);
                    assertThat(e.problem().type()).hasToString("/problems/idempotency-key-required");
                    assertThat(e.problem().detail()).contains("moves money", "retry with the same key is safe");
                });
        assertThat(IdempotencyKey.optional("client-1", null)).isEmpty();
        assertThat(IdempotencyKey.optional("client-1", "k-1")).contains(new IdempotencyKey("client-1", "k-1"));
        assertThat(IdempotencyKey.required("client-1", "k-1")).isEqualTo(new IdempotencyKey("client-1", "k-1"));
    }

    @Test
    void aKeyIsOneTo255VisibleAsciiCharacters() {
        assertThat(IdempotencyKey.required("client-1", "~".repeat(255)).value()).hasSize(255);
        for (String bad : new String[] {"", "k".repeat(256), "with space", "tab\t", "caf\u00e9"}) {
            assertThatThrownBy(() -> IdempotencyKey.required("client-1", bad)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.problem().status()).isEqualTo(422);
                        assertThat(e.problem().errors()).extracting("field").containsExactly("Idempotency-Key");
                    });
        }
    }

    @Test
    void theLockIdDependsOnTheScopeAndTheKeyOnly() {
        long lockId = new IdempotencyKey("client-1", "k-1").lockId();

        assertThat(new IdempotencyKey("client-1", "k-1").lockId()).isEqualTo(lockId);
        assertThat(new IdempotencyKey("client-2", "k-1").lockId()).isNotEqualTo(lockId);
        assertThat(new IdempotencyKey("client-1", "k-2").lockId()).isNotEqualTo(lockId);
        // The scope's length goes into the hash, so a scope and key cannot shift into another pair.
        assertThat(new IdempotencyKey("client-1k", "-1").lockId()).isNotEqualTo(lockId);
        // The same value in two scopes is two keys; SHA-256 spreads them over the whole 64 bits.
        assertThat(new IdempotencyKey("", "k-1").lockId()).isNotEqualTo(lockId);
    }

    @Test
    void theValueStaysOutOfTheTextForm() {
        assertThat(new IdempotencyKey("", "secret-key-1")).asString().doesNotContain("secret-key-1");
    }
}
