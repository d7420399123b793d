package bank.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void addsAndSubtractsExactly() {
        assertThat(Money.of(1050).plus(Money.of(950))).isEqualTo(Money.of(2000));
        assertThat(Money.of(1050).minus(Money.of(1050))).isEqualTo(Money.ZERO);
    }

    @Test
    void refusesToOverflowOrGoNegative() {
        assertThatThrownBy(() -> Money.of(Long.MAX_VALUE).plus(Money.of(1))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.of(1).minus(Money.of(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Money.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void comparesByAmount() {
        assertThat(Money.of(1).isLessThan(Money.of(2))).isTrue();
        assertThat(Money.of(2).isLessThan(Money.of(2))).isFalse();
        assertThat(Money.ZERO.isPositive()).isFalse();
        assertThat(Money.of(1).isPositive()).isTrue();
    }
}
