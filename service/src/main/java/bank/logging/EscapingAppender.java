package bank.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.dropwizard.logback.AsyncAppenderBaseProxy;

/** Hands every event to the appender it wraps as an {@link EscapedEvent}, whatever that appender's layout. */
class EscapingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final Appender<ILoggingEvent> delegate;

    private EscapingAppender(Appender<ILoggingEvent> delegate) {
        this.delegate = delegate;
        setName(delegate.getName());
    }

    /**
     * Wraps {@code delegate}. Dropwizard's appenders are asynchronous by default; in front of one, the wrapper lets
     * Dropwizard find its queue and drain it when logging stops, as it does for an unwrapped one. Without that, a
     * command that ends (such as {@code migrate}) could exit with its last lines still queued.
     */
    @SuppressWarnings("unchecked")
    static EscapingAppender of(Appender<ILoggingEvent> delegate) {
        if (delegate instanceof AsyncAppenderBase<?> queue) {
            return new Queued(delegate, (AsyncAppenderBase<ILoggingEvent>) queue);
        }
        if (delegate instanceof AsyncAppenderBaseProxy<?> proxy) {
            return new Queued(delegate, (AsyncAppenderBase<ILoggingEvent>) proxy.getAppender());
        }
        return new EscapingAppender(delegate);
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

    /** In front of an asynchronous appender, whose queue Dropwizard drains through {@link #getAppender()}. */
    private static final class Queued extends EscapingAppender implements AsyncAppenderBaseProxy<ILoggingEvent> {

        private final AsyncAppenderBase<ILoggingEvent> queue;

        Queued(Appender<ILoggingEvent> delegate, AsyncAppenderBase<ILoggingEvent> queue) {
            super(delegate);
            this.queue = queue;
        }

        @Override
        public AsyncAppenderBase<ILoggingEvent> getAppender() {
            return queue;
        }
    }
}
