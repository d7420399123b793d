package bank.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Writes out what is still queued before a one-shot command's JVM exits. Dropwizard's console appender is
 * asynchronous, and its worker is a daemon thread: a command that logs why it failed and then exits can lose that
 * line, the only one that says why a migration job failed. Stopping the logging context drains each asynchronous
 * appender (for up to its flush time) and closes the rest.
 */
public final class LogDrain {

    private LogDrain() {
    }

    public static void beforeExit() {
        beforeExit((LoggerContext) LoggerFactory.getILoggerFactory());
    }

    static void beforeExit(LoggerContext context) {
        context.stop();
    }
}
