package bank.http;

import io.opentelemetry.api.trace.Span;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.MDC;

/**
 * Settles each request's {@link RequestId} before anything else handles it, and puts it on the response's headers
 * while they can still change. Without a span, the generated ids go into the log MDC under the keys the agent uses
 * ({@code trace_id}, {@code span_id}, {@code trace_flags}), so that the request's log lines carry them either way.
 */
public final class RequestIdHandler extends Handler.Wrapper {

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        RequestId id = RequestId.of(request);
        setHeaders(response, id);
        // Under the agent the span is valid, and its logback instrumentation puts the same ids in the MDC itself.
        boolean ownMdc = !Span.current().getSpanContext().isValid();
        RequestId.bind(id);
        if (ownMdc) {
            MDC.put("trace_id", id.traceId());
            MDC.put("span_id", id.spanId());
            MDC.put("trace_flags", id.flags());
        }
        try {
            return super.handle(request, response, callback);
        } finally {
            RequestId.unbind();
            if (ownMdc) {
                MDC.remove("trace_id");
                MDC.remove("span_id");
                MDC.remove("trace_flags");
            }
        }
    }

    static void setHeaders(Response response, RequestId id) {
        response.getHeaders().put(RequestId.HEADER, id.traceId());
        response.getHeaders().put(RequestId.TRACERESPONSE, id.traceresponse());
    }
}
