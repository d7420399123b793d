package bank.idempotency;

import io.dropwizard.lifecycle.Managed;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired idempotency keys in the background. Each run is its own trace ("idempotency.purge"), so its
 * statements show up as the children of a named unit of work rather than as stray root spans.
 */
public class IdempotencyKeyPurger implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeyPurger.class);
    private static final int BATCH = 1_000;
    private static final int MAX_BATCHES_PER_RUN = 100;

    private final IdempotencyKeyStore keys;
    private final ScheduledExecutorService scheduler;
    private final long intervalMillis;
    private final Tracer tracer = GlobalOpenTelemetry.getTracer("bank-api");

    public IdempotencyKeyPurger(IdempotencyKeyStore keys, ScheduledExecutorService scheduler, IdempotencyConfig config) {
        this.keys = keys;
        this.scheduler = scheduler;
        this.intervalMillis = config.getPurgeInterval().toMilliseconds();
    }

    @Override
    public void start() {
        scheduler.scheduleWithFixedDelay(this::purge, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void purge() {
        Span span = tracer.spanBuilder("idempotency.purge").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            int deleted = 0;
            for (int i = 0; i < MAX_BATCHES_PER_RUN; i++) {
                int batch = keys.purgeExpired(BATCH);
                deleted += batch;
                if (batch < BATCH) {
                    break;
                }
            }
            span.setAttribute("bank.idempotency.keys_deleted", deleted);
            if (deleted > 0) {
                LOG.info("purged expired idempotency keys count={}", deleted);
            }
        } catch (RuntimeException e) {
            // A failed run is retried at the next interval; the scheduler must not die with it.
            span.setStatus(StatusCode.ERROR);
            LOG.warn("idempotency key purge failed: {}", e.toString());
        } finally {
            span.end();
        }
    }
}
