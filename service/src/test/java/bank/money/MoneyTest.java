package bank.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bank.JsonSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.dropwizard.jackson.Jackson;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    private static final ObjectMapper JSON = strictMapper();

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

    @Test
    void zeroIsAnAmountButNotAPositiveOne() {
        assertThat(Money.of(0)).isEqualTo(Money.ZERO).hasSameHashCodeAs(Money.ZERO);
        assertThat(Money.ZERO.minorUnits()).isZero();
        assertThat(Money.ZERO.plus(Money.ZERO)).isEqualTo(Money.ZERO);
        assertThat(Money.ZERO.minus(Money.ZERO)).isEqualTo(Money.ZERO);
        assertThat(Money.of(7).plus(Money.ZERO)).isEqualTo(Money.of(7));
        assertThat(Money.ZERO.isLessThan(Money.of(1))).isTrue();
        assertThat(Money.ZERO.isLessThan(Money.ZERO)).isFalse();
    }

    @Test
    void aNegativeAmountIsRefusedWithTheReasonAClientSees() {
        for (long negative : new long[] {-1, -1050, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> Money.of(negative)).as("%d", negative)
                    .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("must not be negative");
        }
        assertThatThrownBy(() -> Money.ZERO.minus(Money.of(1))).hasMessage("must not be negative");
        assertThatThrownBy(() -> Money.of(1).minus(Money.of(Long.MAX_VALUE))).hasMessage("must not be negative");
    }

    @Test
    void theLargestAmountIsReachableButNotExceeded() {
        Money max = Money.of(Long.MAX_VALUE);

        assertThat(Money.of(Long.MAX_VALUE - 1).plus(Money.of(1))).isEqualTo(max);
        assertThat(max.plus(Money.ZERO)).isEqualTo(max);
        assertThat(max.minus(max)).isEqualTo(Money.ZERO);
        assertThat(max.minus(Money.of(1)).minorUnits()).isEqualTo(Long.MAX_VALUE - 1);
        assertThatThrownBy(() -> max.plus(max)).isExactlyInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.of(Long.MAX_VALUE / 2 + 1).plus(Money.of(Long.MAX_VALUE / 2 + 1)))
                .isExactlyInstanceOf(ArithmeticException.class);
    }

    @Test
    void equalAmountsAreEqualAndOrderedByAmount() {
        assertThat(Money.of(1050)).isEqualTo(Money.of(1050)).hasSameHashCodeAs(Money.of(1050))
                .isNotEqualTo(Money.of(1051)).isNotEqualTo(1050L);
        assertThat(Money.of(1050).compareTo(Money.of(1050))).isZero();
        assertThat(Money.of(1).compareTo(Money.of(Long.MAX_VALUE))).isNegative();
        assertThat(Money.of(Long.MAX_VALUE).compareTo(Money.ZERO)).isPositive();
        assertThat(new TreeSet<>(List.of(Money.of(Long.MAX_VALUE), Money.ZERO, Money.of(5), Money.of(5))))
                .containsExactly(Money.ZERO, Money.of(5), Money.of(Long.MAX_VALUE));
        assertThat(Money.of(1050)).hasToString("1050");
        assertThat(Money.of(Long.MAX_VALUE)).hasToString("9223372036854775807");
    }

    @Test
    void isWrittenAsABareIntegerInMinorUnits() throws Exception {
        assertThat(JSON.writeValueAsString(Money.of(1050))).isEqualTo("1050");
        assertThat(JSON.writeValueAsString(Money.ZERO)).isEqualTo("0");
        assertThat(JSON.writeValueAsString(Money.of(Long.MAX_VALUE))).isEqualTo("9223372036854775807");
    }

    @Test
    void isReadFromAnIntegerUpToTheLargestSignedSixtyFourBitValue() throws Exception {
        assertThat(JSON.readValue("1050", Money.class)).isEqualTo(Money.of(1050));
        assertThat(JSON.readValue("0", Money.class)).isEqualTo(Money.ZERO);
        assertThat(JSON.readValue("9223372036854775807", Money.class)).isEqualTo(Money.of(Long.MAX_VALUE));
    }

    @Test
    void anIntegerBeyondSixtyFourBitsIsRefusedRatherThanWrapped() {
        // A number past Long.MAX_VALUE is a BigInteger to Jackson, and Money has no creator that takes one.
        assertThatThrownBy(() -> JSON.readValue("9223372036854775808", Money.class))
                .isInstanceOf(MismatchedInputException.class).hasMessageContaining("BigInteger");
        assertThatThrownBy(() -> JSON.readValue("100000000000000000000000", Money.class))
                .isInstanceOf(MismatchedInputException.class).hasMessageContaining("BigInteger");
    }

    @Test
    void aNegativeNumberInJsonIsRefusedWithMoneysReason() {
        assertThatThrownBy(() -> JSON.readValue("-1", Money.class))
                .isInstanceOf(ValueInstantiationException.class)
                .cause().isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("must not be negative");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.5", "1.0", "1e3", "\"1050\"", "true", "{}", "[1050]"})
    void onlyAJsonIntegerIsAnAmount(String json) {
        assertThatThrownBy(() -> JSON.readValue(json, Money.class)).as(json)
                .isInstanceOf(MismatchedInputException.class);
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = Jackson.newObjectMapper();
        JsonSettings.apply(mapper);
        return mapper;
    }
}
