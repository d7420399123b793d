package bank.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The last lines a command logs reach the console even when the JVM exits right after. */
class LogDrainTest {

    @Test
    void whatTheAsynchronousAppenderStillHoldsIsWrittenBeforeTheExit() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.start();
        SlowConsole console = new SlowConsole();
        console.setContext(context);
        console.start();
        // As Dropwizard wraps its console appender: the caller only queues the event, a daemon thread writes it.
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.addAppender(console);
        async.start();
        Logger logger = context.getLogger("migrate");
        logger.addAppender(async);

        logger.error("migration failed: the reason");
        logger.error("and the line after it");
        LogDrain.beforeExit(context);

        assertThat(console.written).containsExactly("migration failed: the reason", "and the line after it");
    }

    /** A console that takes a while per line, as a busy machine's does; a thread interrupt does not cut it short. */
    private static final class SlowConsole extends AppenderBase<ILoggingEvent> {
        final List<String> written = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            written.add(event.getFormattedMessage());
        }
    }
}
