package bank.e2e.stack;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waits for a condition by polling it; the test never sleeps for a fixed time. */
public final class Await {

    private static final long POLL_MILLIS = 250;

    private Await() {
    }

    /**
     * @param probe returns the awaited value, or empty while it is not there yet
     * @return the first value the probe produced
     */
    public static <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastFailure = null;
        while (true) {
            try {
                Optional<T> value = probe.get();
                if (value.isPresent()) {
                    return value.get();
                }
            } catch (RuntimeException e) {
                lastFailure = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError timedOut = new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what);
                if (lastFailure != null) {
                    timedOut.initCause(lastFailure);
                }
                throw timedOut;
            }
            try {
                Thread.sleep(POLL_MILLIS); // the polling interval of the condition above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    public static void untilTrue(String what, Duration timeout, Supplier<Boolean> condition) {
        until(what, timeout, () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }
}
