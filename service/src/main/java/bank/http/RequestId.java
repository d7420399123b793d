package bank.http;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.server.Request;

/**
 * The id a client quotes to support: the trace id of the request's server span, so that one value finds the trace in
 * Tempo and every log line of the request in Loki. It goes out as {@code Request-Id} and, with the span id and flags,
 * as the W3C Trace Context Level 2 {@code traceresponse} header.
 *
 * <p>Under the OpenTelemetry agent the server span is current while the request is handled, and its ids are used as
 * they are. Without the agent (or before the agent has a span, when the web server refuses a request line) there is
 * no span to read, and the service makes an id of the same shape, random and so unique, that serves the same purpose
 * in the logs.
 */
public record RequestId(String traceId, String spanId, String flags) {

    public static final String HEADER = "Request-Id";
    public static final String TRACERESPONSE = "traceresponse";

    /** The request attribute that holds the id once the request's first handler has settled it. */
    static final String ATTRIBUTE = RequestId.class.getName();

    private static final ThreadLocal<RequestId> CURRENT = new ThreadLocal<>();

    /** {@code 00-<trace id>-<span id>-<flags>}, the traceparent format that traceresponse reuses. */
    public String traceresponse() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    /**
     * The id of the request this thread is handling: the one its handler settled, else the current span's, else
     * null outside any request.
     */
    public static String current() {
        RequestId settled = CURRENT.get();
        if (settled != null) {
            return settled.traceId();
        }
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? span.getTraceId() : null;
    }

    /** The id of this request, settled on first use and kept on the request so that every answer carries the same. */
    static RequestId of(Request request) {
        Object known = request.getAttribute(ATTRIBUTE);
        if (known instanceof RequestId id) {
            return id;
        }
        RequestId id = fromCurrentSpan();
        request.setAttribute(ATTRIBUTE, id);
        return id;
    }

    static RequestId fromCurrentSpan() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? new RequestId(span.getTraceId(), span.getSpanId(), span.getTraceFlags().asHex())
                : generated();
    }

    /** A random id in the W3C shape: 16 and 8 bytes, never all zero (which W3C reserves as invalid), not sampled. */
    static RequestId generated() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        String trace = hex.toHexDigits(random.nextLong(1, Long.MAX_VALUE)) + hex.toHexDigits(random.nextLong());
        String span = hex.toHexDigits(random.nextLong(1, Long.MAX_VALUE));
        return new RequestId(trace, span, "00");
    }

    static void bind(RequestId id) {
        CURRENT.set(id);
    }

    static void unbind() {
        CURRENT.remove();
    }
}
