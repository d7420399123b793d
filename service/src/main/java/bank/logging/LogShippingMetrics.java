package bank.logging;

import com.github.loki4j.client.http.HttpConfig;
import com.github.loki4j.client.http.LokiResponse;
import com.github.loki4j.client.http.Loki4jHttpClient;
import com.github.loki4j.logback.JavaHttpSender;
import com.github.loki4j.logback.Loki4jAppender;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * What happens to the log lines the Loki appender ships, as metrics, so that a silent loss of logs shows on the
 * telemetry-health dashboard and in alerts:
 * <ul>
 *   <li>{@code bank.log_shipping.pushes} ({@code bank_log_shipping_pushes_total}): every push of a batch to Loki,
 *       retries included, by {@code outcome}: {@code ok}, {@code refused} (Loki answered with an error status:
 *       rate limit, a line too old or too long, an overloaded ingester) or {@code unreachable} (no answer: connection
 *       refused, timeout);</li>
 *   <li>{@code bank.log_shipping.dropped_events} ({@code bank_log_shipping_dropped_events_total}): events the
 *       appender threw away because its send queue was full, which it otherwise only reports as a status
 *       warning now and then.</li>
 * </ul>
 */
final class LogShippingMetrics {

    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    private static final Attributes OK = Attributes.of(OUTCOME, "ok");
    private static final Attributes REFUSED = Attributes.of(OUTCOME, "refused");
    private static final Attributes UNREACHABLE = Attributes.of(OUTCOME, "unreachable");

    private final Meter meter;
    private final LongCounter pushes;

    LogShippingMetrics(Meter meter) {
        this.meter = meter;
        pushes = meter.counterBuilder("bank.log_shipping.pushes")
                .setDescription("Pushes of log batches to Loki, retries included, by outcome.")
                .setUnit("{push}")
                .build();
        // Every outcome exists from the start at 0, so that "no successful push" is a number, not a missing series.
        for (Attributes outcome : new Attributes[] {OK, REFUSED, UNREACHABLE}) {
            pushes.add(0, outcome);
        }
    }

    /** The appender's HTTP sender, with every push counted by outcome. */
    JavaHttpSender countingSender() {
        return new JavaHttpSender() {
            @Override
            public Function<HttpConfig, Loki4jHttpClient> getHttpClientFactory() {
                Function<HttpConfig, Loki4jHttpClient> real = super.getHttpClientFactory();
                return config -> new CountingClient(real.apply(config));
            }
        };
    }

    /**
     * Reports the appender's own count of events dropped for a full send queue. loki4j keeps that count but
     * exposes it only to its own package, so it is read reflectively; the method exists in the pinned 2.0.x line
     * (LogShippingMetricsTest fails if it goes away).
     */
    void observeDrops(Loki4jAppender appender) {
        Method dropped = droppedEventsCount();
        meter.counterBuilder("bank.log_shipping.dropped_events")
                .setDescription("Log events dropped by the Loki appender because its send queue was full.")
                .setUnit("{event}")
                .buildWithCallback(measurement -> {
                    try {
                        measurement.record((Long) dropped.invoke(appender));
                    } catch (ReflectiveOperationException e) {
                        // Nothing to report: the appender stopped or changed.
                    }
                });
    }

    static Method droppedEventsCount() {
        try {
            Method method = Loki4jAppender.class.getDeclaredMethod("droppedEventsCount");
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("this loki4j version does not count dropped events as 2.0.x does", e);
        }
    }

    private final class CountingClient implements Loki4jHttpClient {
        private final Loki4jHttpClient delegate;

        CountingClient(Loki4jHttpClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public HttpConfig getConfig() {
            return delegate.getConfig();
        }

        @Override
        public LokiResponse send(ByteBuffer batch) throws Exception {
            LokiResponse response;
            try {
                response = delegate.send(batch);
            } catch (Exception e) {
                pushes.add(1, UNREACHABLE);
                throw e;
            }
            pushes.add(1, response.status >= 200 && response.status < 300 ? OK : REFUSED);
            return response;
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }
    }
}
