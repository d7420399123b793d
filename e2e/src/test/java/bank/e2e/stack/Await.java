package bank.e2e.stack;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.awaitility.Awaitility;

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
}
