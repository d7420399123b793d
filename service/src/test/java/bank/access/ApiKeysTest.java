package bank.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void aKeyIsThePrefixAnd43Base62CharactersAndNeverTheSameTwice() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String key = ApiKeys.generate();
            assertThat(key).matches("bank_sk_[0-9A-Za-z]{43}");
            assertThat(ApiKeys.isWellFormed(key)).isTrue();
            keys.add(key);
        }
        assertThat(keys).hasSize(2_000);
    }

    @Test
    void keysUseTheWholeAlphabetInEveryPosition() {
        // 256 random bits in 43 base62 digits: the first digit carries fewer bits, every other one is uniform.
        Set<Character> lastDigits = new HashSet<>();
        Set<Character> middleDigits = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            String key = ApiKeys.generate();
            lastDigits.add(key.charAt(key.length() - 1));
            middleDigits.add(key.charAt(ApiKeys.PREFIX.length() + 20));
        }
        assertThat(lastDigits).hasSize(62);
        assertThat(middleDigits).hasSize(62);
    }

    @Test
    void theHashIsTheSha256OfTheKey() {
        // SHA-256("abc"), from FIPS 180-2.
        assertThat(HexFormat.of().formatHex(ApiKeys.hash("abc")))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        String key = ApiKeys.generate();
        assertThat(ApiKeys.hash(key)).hasSize(32).isEqualTo(ApiKeys.hash(key));
        assertThat(ApiKeys.hash(key)).isNotEqualTo(ApiKeys.hash(ApiKeys.generate()));
    }

    @Test
    void onlyThePrefixAndFourCharactersAreEverShown() {
        String key = ApiKeys.generate();
        assertThat(ApiKeys.shownPart(key)).isEqualTo(key.substring(0, 12)).startsWith("bank_sk_").hasSize(12);
        assertThat(ApiKeys.shownPart("operator-chosen-secret-of-some-length")).isEqualTo("oper");
    }

    @Test
    void aWellFormedKeyIsABearerTokenOfAtMost256Characters() {
        assertThat(ApiKeys.isWellFormed("abc-._~+/xyz==")).isTrue();
        assertThat(ApiKeys.isWellFormed("x".repeat(256))).isTrue();
        for (String bad : new String[] {"", "x".repeat(257), "with space", "quote\"", "comma,", "caf\u00e9", "=x"}) {
            assertThat(ApiKeys.isWellFormed(bad)).as(bad).isFalse();
        }
        assertThat(ApiKeys.isWellFormed(null)).isFalse();
    }

    @Test
    void aCreatedClientsKeyStaysOutOfItsTextForm() {
        String key = ApiKeys.generate();
        ApiClients.Created created = new ApiClients.Created(new ApiClient(java.util.UUID.randomUUID(), "app",
                Set.of(Scope.ACCOUNTS_READ), java.time.Instant.now(), null, null, null), key);

        assertThat(created.toString()).doesNotContain(key.substring(ApiKeys.SHOWN_LENGTH)).doesNotContain("app");
        assertThat(created.client().toString()).doesNotContain("app");
    }
}
