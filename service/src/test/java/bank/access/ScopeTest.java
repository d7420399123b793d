package bank.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void scopesParseFromSpacesOrCommasAndFormatInTheirOwnOrder() {
        assertThat(Scope.parse("transfers:write accounts:read,admin")).containsExactly("accounts:read",
                "transfers:write", "admin");
        assertThat(Scope.parse("")).isEmpty();
        assertThat(Scope.format(Set.of("admin", "accounts:write", "accounts:read"))).isEqualTo(
                "accounts:read accounts:write admin");
    }

    @Test
    void anUnknownScopeIsRefusedByName() {
        assertThatThrownBy(() -> Scope.parse("accounts:read accounts:delete"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"accounts:delete\"")
                .hasMessageContaining("transfers:write");
    }
}
