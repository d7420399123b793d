package bank.otel;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * Drops traces that are housekeeping rather than work, and defers every other decision to the configured
 * sampler:
 * <ul>
 *   <li>a server span whose path is a health or liveness endpoint (by default {@code /healthcheck} and
 *       {@code /ping} of the Dropwizard admin port, and {@code /} of the API port, which compose's health check
 *       polls), polled every few seconds by orchestrators;</li>
 *   <li>a database span with no parent: a statement that ran outside any request or named background job,
 *       such as schema migrations at start-up.</li>
 * </ul>
 * Those are judged on root spans only; a child follows its parent's decision, so a dropped health check takes
 * its children with it and a kept request keeps its statements. The one child dropped on its own is the
 * driver's connection check: PostgreSQL's JDBC driver answers {@code Connection.isValid()}, which the pool
 * calls when it lends a connection, by executing an empty statement. Inside a request's trace it would show
 * as a database call with no text, which is the pool's housekeeping, not the request's work.
 */
public final class HousekeepingSampler implements Sampler {

    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
    static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
    static final AttributeKey<String> DB_STATEMENT = AttributeKey.stringKey("db.statement");

    private final Sampler delegate;
    private final List<String> housekeepingPaths;

    public HousekeepingSampler(Sampler delegate, List<String> housekeepingPaths) {
        this.delegate = delegate;
        this.housekeepingPaths = List.copyOf(housekeepingPaths);
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                       Attributes attributes, List<LinkData> parentLinks) {
        boolean root = !Span.fromContext(parentContext).getSpanContext().isValid();
        if ((root && isHousekeeping(spanKind, attributes)) || isConnectionCheck(spanKind, attributes)) {
            return SamplingResult.drop();
        }
        return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    private boolean isHousekeeping(SpanKind kind, Attributes attributes) {
        if (kind == SpanKind.SERVER) {
            String path = attributes.get(URL_PATH);
            return path != null && housekeepingPaths.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
        }
        return isDatabase(kind, attributes);
    }

    private static boolean isConnectionCheck(SpanKind kind, Attributes attributes) {
        String text = attributes.get(DB_QUERY_TEXT) != null ? attributes.get(DB_QUERY_TEXT) : attributes.get(DB_STATEMENT);
        return isDatabase(kind, attributes) && text != null && text.isBlank();
    }

    private static boolean isDatabase(SpanKind kind, Attributes attributes) {
        return kind == SpanKind.CLIENT && (attributes.get(DB_SYSTEM_NAME) != null || attributes.get(DB_SYSTEM) != null);
    }

    @Override
    public String getDescription() {
        return "HousekeepingSampler{paths=" + housekeepingPaths + ", delegate=" + delegate.getDescription() + "}";
    }
}
