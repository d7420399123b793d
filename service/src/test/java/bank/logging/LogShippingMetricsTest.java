package bank.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import com.github.loki4j.logback.Loki4jAppender;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.logging.common.layout.DropwizardLayoutFactory;
import io.dropwizard.logging.common.async.AsyncLoggingEventAppenderFactory;
import io.dropwizard.logging.common.filter.ThresholdLevelFilterFactory;
import io.dropwizard.util.DataSize;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Loki appender as the service builds it, against a Loki stand-in that can accept, refuse or vanish: what it
 * pushes carries the instance, and pushes and drops are counted where Prometheus will read them.
 */
class LogShippingMetricsTest {

    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final List<String> pushed = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(204);
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private Logger logger;
    private HttpServer loki;
    private Appender<ILoggingEvent> appender;

    @BeforeEach
    void lokiAndMetrics() throws IOException {
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build()).build());
        loki = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        loki.createContext("/loki/api/v1/push", exchange -> {
            pushed.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        loki.start();
    }

    @AfterEach
    void stop() {
        if (appender != null) {
            logger.detachAppender(appender);
            appender.stop();
        }
        loki.stop(0);
        GlobalOpenTelemetry.resetForTest();
    }

    @Test
    void linesCarryTheInstanceAsStructuredMetadataAndAcceptedPushesAreCounted() {
        Logger logger = logger(new LokiAppenderFactory());
        MDC.put(LokiAppenderFactory.INSTANCE_MDC_KEY, "instance-one");
        MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        try {
            logger.info("hello");
        } finally {
            MDC.clear();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pushes("ok") >= 1);
        String push = String.join("\n", pushed);
        assertThat(push).contains("\"service_instance_id\":\"instance-one\"").contains("\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"")
                .doesNotContain("service.instance.id");
        assertThat(pushes("refused")).isZero();
        assertThat(pushes("unreachable")).isZero();
    }

    @Test
    void pushesLokiRefusesAreCounted() {
        status.set(500);
        logger(new LokiAppenderFactory()).info("refused");
        await().atMost(Duration.ofSeconds(30)).until(() -> pushes("refused") >= 1);
        assertThat(pushes("ok")).isZero();
    }

    @Test
    void pushesNobodyAnswersAndEventsDroppedForAFullQueueAreCounted() {
        loki.stop(0);
        LokiAppenderFactory factory = new LokiAppenderFactory();
        factory.setBatchMaxSize(DataSize.kibibytes(1));
        factory.setSendQueueMaxSize(DataSize.kibibytes(5));
        Logger logger = logger(factory);
        String line = "x".repeat(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int i = 0; i < 100; i++) {
                logger.info(line);
            }
            return dropped() > 0 && pushes("unreachable") >= 1;
        });
        assertThat(pushes("ok")).isZero();
    }

    @Test
    void theDefaultQueueHoldsFiveBatchesAndASmallerOneIsRejected() {
        LokiAppenderFactory factory = new LokiAppenderFactory();
        assertThat(factory.isSendQueueLargeEnough()).isTrue();
        factory.setSendQueueMaxSize(DataSize.mebibytes(16));
        assertThat(factory.isSendQueueLargeEnough()).as("16 MiB for batches of 4 MiB").isFalse();
    }

    @Test
    void theDroppedEventCountIsReadableInThisLoki4jVersion() throws ReflectiveOperationException {
        assertThat(LogShippingMetrics.droppedEventsCount().invoke(new Loki4jAppender())).isInstanceOf(Long.class);
    }

    private Logger logger(LokiAppenderFactory factory) {
        factory.setUrl("http://127.0.0.1:" + loki.getAddress().getPort() + "/loki/api/v1/push");
        factory.setBatchTimeout(io.dropwizard.util.Duration.milliseconds(100));
        factory.setRequestTimeout(io.dropwizard.util.Duration.seconds(2));
        appender = factory.build(context, "test", new DropwizardLayoutFactory(), new ThresholdLevelFilterFactory(),
                new AsyncLoggingEventAppenderFactory());
        logger = context.getLogger("bank.logging.shipped");
        logger.setAdditive(false);
        logger.addAppender(appender);
        return logger;
    }

    private long pushes(String outcome) {
        return sum("bank.log_shipping.pushes", outcome);
    }

    private long dropped() {
        return sum("bank.log_shipping.dropped_events", null);
    }

    private long sum(String name, String outcome) {
        long total = 0;
        for (MetricData metric : metrics.collectAllMetrics()) {
            if (!metric.getName().equals(name)) {
                continue;
            }
            for (LongPointData point : metric.getLongSumData().getPoints()) {
                if (outcome == null || outcome.equals(point.getAttributes().get(LogShippingMetrics.OUTCOME))) {
                    total += point.getValue();
                }
            }
        }
        return total;
    }
}
