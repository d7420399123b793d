package bank.e2e.stack;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Waits for a condition by polling it; the test never sleeps for a fixed time. */
public final class Await {

    /** How often the condition is polled: only how soon a condition that holds is seen. */
    private static final Duration POLL = Duration.ofMillis(250);

    private Await() {
    }

    /**
     * A probe that throws (a backend not up yet) is polled again; on timeout the last such failure is the cause.
     *
     * @param probe returns the awaited value, or empty while it is not there yet
     * @return the first value the probe produced
     */
    public static <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe) {
        return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL)
                .ignoreExceptionsInstanceOf(RuntimeException.class)
                .until(probe::get, Optional::isPresent).orElseThrow();
    }

    public static void untilTrue(String what, Duration timeout, Supplier<Boolean> condition) {
        until(what, timeout, () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /**
     * For a check that reports for itself, query by query, what is still missing once time runs out: waits like
     * {@link #untilTrue} but returns instead of throwing.
     *
     * @return whether the condition held within the timeout
     */
    public static boolean untilTrueOrTimeout(String what, Duration timeout, Supplier<Boolean> condition) {
        try {
            untilTrue(what, timeout, condition);
            return true;
        } catch (ConditionTimeoutException timedOut) {
            return false;
        }
    }
}
