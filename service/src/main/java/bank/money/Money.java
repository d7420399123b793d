package bank.money;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An amount of money in minor units of its account's currency (1050 is 10.50 USD).
 *
 * <p>Integer minor units keep arithmetic exact; every operation that could leave the range of a signed 64-bit
 * integer fails instead of wrapping around.
 */
@Schema(type = "integer", format = "int64", example = "1050", maximum = "9223372036854775807",
        description = "Amount in minor units of the account's currency (1050 = 10.50).")
public record Money(long minorUnits) implements Comparable<Money> {

    public static final Money ZERO = new Money(0);

    public Money {
        if (minorUnits < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Money of(long minorUnits) {
        return new Money(minorUnits);
    }

    @JsonValue
    public long minorUnits() {
        return minorUnits;
    }

    public boolean isPositive() {
        return minorUnits > 0;
    }

    /** @throws ArithmeticException if the sum does not fit in a signed 64-bit integer */
    public Money plus(Money other) {
        return new Money(Math.addExact(minorUnits, other.minorUnits));
    }

    /** @throws IllegalArgumentException if the result would be negative */
    public Money minus(Money other) {
        return new Money(minorUnits - other.minorUnits);
    }

    public boolean isLessThan(Money other) {
        return minorUnits < other.minorUnits;
    }

    @Override
    public int compareTo(Money other) {
        return Long.compare(minorUnits, other.minorUnits);
    }

    @Override
    public String toString() {
        return Long.toString(minorUnits);
    }
}
