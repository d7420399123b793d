package bank.http;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * JSON request bodies are UTF-8 (RFC 8259), read as written. Jackson alone would guess UTF-16 or UTF-32 from the
 * first bytes, ignore a declared charset, and decode overlong or surrogate UTF-8 sequences into other characters
 * than the client sent. So before Jackson reads a body: a charset other than UTF-8 is refused (415), and the
 * bytes must be well-formed UTF-8 without a NUL byte, which JSON never contains outside an escape (400).
 *
 * <p>The body is read whole here, within a time limit; the web server's size limit bounds its length.
 */
@Provider
public final class StrictJsonBody implements ReaderInterceptor {

    private final long timeoutNanos;

    /** @param timeout how long reading a whole body may take; a body still arriving after it gets 408 */
    public StrictJsonBody(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type == null || !type.getSubtype().toLowerCase(java.util.Locale.ROOT).endsWith("json")) {
            context.setProperty(UnreadBodies.BODY_READ, true);
            return context.proceed();
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.strip().equalsIgnoreCase("utf-8") && !charset.strip().equalsIgnoreCase("utf8")) {
            throw new ApiException(ProblemStatus.of(415));
        }
        byte[] body = readWithin(context.getInputStream());
        context.setProperty(UnreadBodies.BODY_READ, true);
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "The request body is not valid UTF-8.");
        }
        for (byte b : body) {
            if (b == 0) {
                throw new ApiException(ProblemType.MALFORMED_REQUEST, "The request body is not valid JSON.");
            }
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    /**
     * Reads the body, failing once it has taken longer than the timeout. The connector's idle timeout ends a body
     * that stops arriving; this ends one that trickles in a byte at a time, which the idle timeout never sees.
     */
    private byte[] readWithin(InputStream in) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            body.write(buffer, 0, n);
            if (System.nanoTime() - deadline > 0) {
                throw new ApiException(ProblemStatus.of(408));
            }
        }
        return body.toByteArray();
    }
}
