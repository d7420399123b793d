package bank.testing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/**
 * A real OpenTelemetry SDK whose metrics and spans stay in memory, for code that takes an {@link OpenTelemetry}:
 * a test reads back exactly what an exporter would have sent.
 */
public final class TestTelemetry {

    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build();

    public OpenTelemetry openTelemetry() {
        return sdk;
    }

    /**
     * The value of the long gauge or sum {@code metric} on the point whose attribute {@code key} is {@code value},
     * as a collection now would report it; empty when there is no such point.
     */
    public OptionalLong value(String metric, String key, String value) {
        Collection<MetricData> collected = metrics.collectAllMetrics();
        return collected.stream()
                .filter(m -> m.getName().equals(metric))
                .flatMap(m -> switch (m.getType()) {
                    case LONG_GAUGE -> m.getLongGaugeData().getPoints().stream();
                    case LONG_SUM -> m.getLongSumData().getPoints().stream();
                    default -> throw new AssertionError(metric + " is a " + m.getType() + ", not a long gauge or sum");
                })
                .filter(point -> value.equals(point.getAttributes().get(AttributeKey.stringKey(key))))
                .mapToLong(LongPointData::getValue)
                .findFirst();
    }

    /** The ended spans called {@code name}, oldest first. */
    public List<SpanData> spans(String name) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).toList();
    }
}
