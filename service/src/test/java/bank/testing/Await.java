package bank.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;

/** Waits for a condition rather than for a time. */
public final class Await {

    /** How often a condition is checked: not a delay relied on, only how soon a condition that holds is seen. */
    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    /** Polls {@code condition} until it holds, and fails naming {@code what} if it still does not after {@code limit}. */
    public static void until(String what, Duration limit, BooleanSupplier condition) {
        Awaitility.await(what).atMost(limit).pollDelay(Duration.ZERO).pollInterval(POLL)
                .until(condition::getAsBoolean);
    }

    /** Polls {@code value} until it satisfies {@code done}, and returns that value; fails as {@link #until} does. */
    public static <T> T until(String what, Duration limit, Supplier<T> value, Predicate<? super T> done) {
        return Awaitility.await(what).atMost(limit).pollDelay(Duration.ZERO).pollInterval(POLL)
                .until(value::get, done::test);
    }
}
