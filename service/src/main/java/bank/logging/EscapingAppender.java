package bank.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

/** Hands every event to the appender it wraps as an {@link EscapedEvent}, whatever that appender's layout. */
final class EscapingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final Appender<ILoggingEvent> delegate;

    EscapingAppender(Appender<ILoggingEvent> delegate) {
        this.delegate = delegate;
        setName(delegate.getName());
    }

    @Override
    protected void append(ILoggingEvent event) {
        delegate.doAppend(new EscapedEvent(event));
    }

    @Override
    public void stop() {
        delegate.stop();
        super.stop();
    }

    Appender<ILoggingEvent> delegate() {
        return delegate;
    }
}
