package bank.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Nothing personal or forged in the log, at any level an operator can set: libraries that log bound values or
 * request bytes are pinned at WARN ({@link PinnedLoggers}), and every appender Dropwizard built from config.yml
 * (console, Loki, any other, with any logFormat or layout) receives events with their values escaped
 * ({@link EscapedEvent}). Runs after Dropwizard has configured logging, which replaces the context's filters and
 * appenders.
 */
public final class LogSafety {

    private LogSafety() {
    }

    public static void apply() {
        apply((LoggerContext) LoggerFactory.getILoggerFactory());
    }

    static void apply(LoggerContext context) {
        if (context.getTurboFilterList().stream().noneMatch(PinnedLoggers.class::isInstance)) {
            PinnedLoggers pinned = new PinnedLoggers();
            pinned.setContext(context);
            pinned.start();
            context.addTurboFilter(pinned);
        }
        for (Logger logger : context.getLoggerList()) {
            List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                appenders.add(it.next());
            }
            for (Appender<ILoggingEvent> appender : appenders) {
                if (!(appender instanceof EscapingAppender)) {
                    EscapingAppender escaping = EscapingAppender.of(appender);
                    escaping.setContext(context);
                    escaping.start();
                    logger.detachAppender(appender);
                    logger.addAppender(escaping);
                }
            }
        }
    }
}
