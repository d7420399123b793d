package bank.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HousekeepingSamplerTest {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            // As HousekeepingSamplerCustomizer wires it: around the configured sampler, the default parent-based one.
            .setSampler(new HousekeepingSampler(Sampler.parentBased(Sampler.alwaysOn()), HousekeepingSamplerCustomizer.DEFAULT_PATHS))
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    private final Tracer tracer = provider.get("test");

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void dropsHealthChecksWithTheirChildren() {
        Span check = server("GET", "/healthcheck");
        try (Scope ignored = check.makeCurrent()) {
            database("SELECT").end();
        }
        check.end();
        server("GET", "/ping").end();
        server("GET", "/healthcheck/postgresql").end();

        assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }

    /** Compose's health check asks the API port for "/" every 10 s, only to see that it answers (a 404). */
    @Test
    void dropsTheRootPathTheContainerHealthCheckPollsButNoPathUnderIt() {
        server("GET", "/").end();
        server("GET", "/v1/accounts").end();

        assertThat(exporter.getFinishedSpanItems()).extracting(span -> span.getAttributes().get(HousekeepingSampler.URL_PATH))
                .containsExactly("/v1/accounts");
    }

    @Test
    void keepsRequestsAndTheirDatabaseSpans() {
        Span request = server("POST", "/v1/transfers");
        try (Scope ignored = request.makeCurrent()) {
            database("SELECT").end();
            database("UPDATE").end();
        }
        request.end();
        server("GET", "/v1/accounts/healthcheck").end();

        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).extracting(SpanData::getKind)
                .containsExactlyInAnyOrder(SpanKind.CLIENT, SpanKind.CLIENT, SpanKind.SERVER, SpanKind.SERVER);
    }

    @Test
    void dropsDatabaseStatementsOutsideAnyUnitOfWorkButKeepsNamedJobs() {
        database("SELECT").end();
        tracer.spanBuilder("liquibase").setSpanKind(SpanKind.CLIENT).setAttribute("db.system", "postgresql").startSpan().end();

        Span job = tracer.spanBuilder("idempotency.purge").startSpan();
        try (Scope ignored = job.makeCurrent()) {
            database("DELETE").end();
        }
        job.end();

        assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName)
                .containsExactlyInAnyOrder("DELETE", "idempotency.purge");
    }

    @Test
    void dropsTheDriversConnectionCheckInsideARequestButKeepsItsStatements() {
        Span request = server("GET", "/v1/accounts/{id}");
        try (Scope ignored = request.makeCurrent()) {
            tracer.spanBuilder("bank").setSpanKind(SpanKind.CLIENT)
                    .setAttribute(HousekeepingSampler.DB_SYSTEM_NAME, "postgresql")
                    .setAttribute(HousekeepingSampler.DB_QUERY_TEXT, "").startSpan().end();
            tracer.spanBuilder("SELECT accounts").setSpanKind(SpanKind.CLIENT)
                    .setAttribute(HousekeepingSampler.DB_SYSTEM_NAME, "postgresql")
                    .setAttribute(HousekeepingSampler.DB_QUERY_TEXT, "SELECT id FROM accounts WHERE id = ?").startSpan().end();
        }
        request.end();

        assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName)
                .containsExactlyInAnyOrder("GET", "SELECT accounts");
    }

    private Span server(String method, String path) {
        return tracer.spanBuilder(method).setSpanKind(SpanKind.SERVER)
                .setAttribute(HousekeepingSampler.URL_PATH, path).startSpan();
    }

    private Span database(String operation) {
        return tracer.spanBuilder(operation).setSpanKind(SpanKind.CLIENT)
                .setAttribute(HousekeepingSampler.DB_SYSTEM_NAME, "postgresql").startSpan();
    }
}
