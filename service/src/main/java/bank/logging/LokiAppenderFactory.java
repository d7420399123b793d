package bank.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.helpers.NOPAppender;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.github.loki4j.logback.Loki4jAppender;
import com.github.loki4j.logback.PipelineConfigAppenderBase.BatchCfg;
import com.github.loki4j.logback.PipelineConfigAppenderBase.HttpCfg;
import io.dropwizard.logging.common.AbstractAppenderFactory;
import io.dropwizard.logging.common.async.AsyncAppenderFactory;
import io.dropwizard.logging.common.filter.LevelFilterFactory;
import io.dropwizard.logging.common.layout.LayoutFactory;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import io.opentelemetry.api.GlobalOpenTelemetry;
import jakarta.validation.constraints.NotBlank;

/**
 * {@code type: loki}: ships log events to Loki's push API with loki4j.
 *
 * <p>Stream labels are only {@code service_name}, {@code deployment_environment} and {@code level}, so the
 * number of streams stays tiny. Per-event values (trace_id and span_id from the agent's MDC, the logger) go
 * into structured metadata, where Grafana's derived field links trace_id to Tempo. So does the process's
 * {@code service.instance.id}, which the agent puts in the MDC
 * ({@code OTEL_INSTRUMENTATION_COMMON_MDC_RESOURCE_ATTRIBUTES}), as {@code service_instance_id}: the same value as
 * the {@code instance} label of the process's metrics, without a stream per process.
 *
 * <p>Logging never waits for Loki: events go into loki4j's bounded send queue and are dropped when it is full;
 * sends have connect and request timeouts and a few retries on background threads. With no URL configured the
 * appender does nothing, and the console appender carries on alone. Pushes by outcome and dropped events are
 * counted ({@link LogShippingMetrics}).
 */
@JsonTypeName("loki")
public class LokiAppenderFactory extends AbstractAppenderFactory<ILoggingEvent> {

    private String url = "";
    @NotBlank
    private String serviceName = "bank-api";
    @NotBlank
    private String environment = "local";
    private Duration batchTimeout = Duration.seconds(1);
    private int batchMaxItems = 1000;
    private DataSize batchMaxSize = DataSize.mebibytes(4);
    // loki4j wants room for five batches in its queue, and warns at start when there is less.
    private DataSize sendQueueMaxSize = DataSize.mebibytes(20);
    private Duration connectionTimeout = Duration.seconds(2);
    private Duration requestTimeout = Duration.seconds(5);

    @Override
    public Appender<ILoggingEvent> build(LoggerContext context, String applicationName,
                                         LayoutFactory<ILoggingEvent> layoutFactory,
                                         LevelFilterFactory<ILoggingEvent> levelFilterFactory,
                                         AsyncAppenderFactory<ILoggingEvent> asyncAppenderFactory) {
        if (url == null || url.isBlank()) {
            NOPAppender<ILoggingEvent> disabled = new NOPAppender<>();
            disabled.setContext(context);
            disabled.start();
            return disabled;
        }
        Loki4jAppender appender = new Loki4jAppender();
        appender.setContext(context);
        appender.setName("loki");
        appender.setLabels("service_name=" + serviceName + "\ndeployment_environment=" + environment + "\nlevel=%level");
        // The instance under a Loki-style name, and every other MDC entry as it is (trace_id, span_id, trace_flags).
        appender.setStructuredMetadata("logger=%logger\nservice_instance_id=%mdc{" + INSTANCE_MDC_KEY + "}\n*!=%%mdc{"
                + INSTANCE_MDC_KEY + "}");
        appender.setMessage(messageLayout(context));

        HttpCfg http = new HttpCfg();
        http.setUrl(url);
        http.setConnectionTimeoutMs(connectionTimeout.toMilliseconds());
        http.setRequestTimeoutMs(requestTimeout.toMilliseconds());
        http.setMaxRetries(2);
        LogShippingMetrics metrics = new LogShippingMetrics(GlobalOpenTelemetry.getMeter("bank-api"));
        http.setSender(metrics.countingSender());
        appender.setHttp(http);

        BatchCfg batch = new BatchCfg();
        batch.setTimeoutMs(batchTimeout.toMilliseconds());
        batch.setMaxItems(batchMaxItems);
        batch.setMaxBytes(Math.toIntExact(batchMaxSize.toBytes()));
        batch.setSendQueueMaxBytes(sendQueueMaxSize.toBytes());
        batch.setDrainOnStop(true);
        appender.setBatch(batch);

        appender.addFilter(levelFilterFactory.build(threshold));
        getFilterFactories().forEach(filter -> appender.addFilter(filter.build()));
        appender.start();
        metrics.observeDrops(appender);
        return appender;
    }

    /** The MDC key under which the agent puts the process's service.instance.id. */
    static final String INSTANCE_MDC_KEY = "service.instance.id";

    @ValidationMethod(message = "sendQueueMaxSize must hold at least five batches (5 x batchMaxSize)")
    public boolean isSendQueueLargeEnough() {
        return sendQueueMaxSize.toBytes() >= 5 * batchMaxSize.toBytes();
    }

    private PatternLayout messageLayout(LoggerContext context) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(logFormat == null ? "%level %logger - %msg%ex" : logFormat);
        return layout;
    }

    @JsonProperty
    public String getUrl() {
        return url;
    }

    @JsonProperty
    public void setUrl(String url) {
        this.url = url;
    }

    @JsonProperty
    public String getServiceName() {
        return serviceName;
    }

    @JsonProperty
    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    @JsonProperty
    public String getEnvironment() {
        return environment;
    }

    @JsonProperty
    public void setEnvironment(String environment) {
        this.environment = environment;
    }

    @JsonProperty
    public Duration getBatchTimeout() {
        return batchTimeout;
    }

    @JsonProperty
    public void setBatchTimeout(Duration batchTimeout) {
        this.batchTimeout = batchTimeout;
    }

    @JsonProperty
    public int getBatchMaxItems() {
        return batchMaxItems;
    }

    @JsonProperty
    public void setBatchMaxItems(int batchMaxItems) {
        this.batchMaxItems = batchMaxItems;
    }

    @JsonProperty
    public DataSize getBatchMaxSize() {
        return batchMaxSize;
    }

    @JsonProperty
    public void setBatchMaxSize(DataSize batchMaxSize) {
        this.batchMaxSize = batchMaxSize;
    }

    @JsonProperty
    public DataSize getSendQueueMaxSize() {
        return sendQueueMaxSize;
    }

    @JsonProperty
    public void setSendQueueMaxSize(DataSize sendQueueMaxSize) {
        this.sendQueueMaxSize = sendQueueMaxSize;
    }

    @JsonProperty
    public Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    @JsonProperty
    public void setConnectionTimeout(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    @JsonProperty
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    @JsonProperty
    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }
}
