package bank.http;

import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import java.io.IOException;
import java.lang.annotation.Annotation;

/**
 * Writes response bodies without the resource method's annotations. Jersey hands them to the message body writer,
 * and Jackson's JAX-RS provider hashes every one of them, on every response, to find its cached writer: the
 * OpenAPI annotations on the resource methods are large and nested, and hashing them was the top of a GET's CPU
 * profile, about 6% (BENCHMARKS.md, Log). Of the annotations Jackson reads there (@JsonView, @JacksonFeatures) the
 * service uses none.
 */
public final class UnannotatedEntityWriting implements WriterInterceptor {

    private static final Annotation[] NONE = new Annotation[0];

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        context.setAnnotations(NONE);
        context.proceed();
    }
}
