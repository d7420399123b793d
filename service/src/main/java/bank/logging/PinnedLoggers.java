package bank.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Drops events below WARN from libraries whose detailed logging quotes request or statement data, whatever
 * level config.yml or a log-level task sets: the PostgreSQL driver logs every bound value (names, addresses)
 * at TRACE, Jetty logs raw request bytes at DEBUG, Jersey logs the messages of mapped exceptions, which quote
 * rejected input, at FINE.
 */
final class PinnedLoggers extends TurboFilter {

    static final List<String> PINNED = List.of("org.postgresql", "org.eclipse.jetty", "org.glassfish.jersey");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == null || level.isGreaterOrEqual(Level.WARN)) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        for (String pinned : PINNED) {
            if (name.startsWith(pinned) && (name.length() == pinned.length() || name.charAt(pinned.length()) == '.')) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
