package bank.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client over a plain socket, for requests no well-behaved client sends: a broken request line or
 * path encoding, a body shorter than its Content-Length, a broken chunk, bytes that are not UTF-8, a body sent
 * slowly. It writes the bytes it is given, with one header line of its own after the request line (the API key, so
 * that the request gets past authentication to what it tests), and reads one response.
 */
public final class RawHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CRLF = {'\r', '\n'};

    private final int port;
    private final byte[] header;

    /** @param header a header line every request carries, such as {@code Authorization: Bearer <key>} */
    public RawHttp(int port, String header) {
        this.port = port;
        this.header = (header + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends {@code request} at once, then reads the response. */
    public Response send(byte[] request) {
        return send(List.of(request), 0, false);
    }

    public Response send(String request) {
        return send(request.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends the parts one after the other, {@code pauseMillis} apart, then (if {@code halfClose}) shuts the
     * output down, and reads the response. The server may answer and close before every part is sent.
     */
    public Response send(List<byte[]> parts, long pauseMillis, boolean halfClose) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            try {
                for (int i = 0; i < parts.size(); i++) {
                    if (i > 0 && pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                    out.write(i == 0 ? withHeader(parts.get(0)) : parts.get(i));
                    out.flush();
                }
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (SocketException answeredEarly) {
                // The server refused the request before it was complete and closed its side: read its answer.
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The bytes with this client's header line after the first line break, if they have one. */
    private byte[] withHeader(byte[] request) {
        for (int i = 0; i + 1 < request.length; i++) {
            if (request[i] == CRLF[0] && request[i + 1] == CRLF[1]) {
                return concat(Arrays.copyOfRange(request, 0, i + 2), header,
                        Arrays.copyOfRange(request, i + 2, request.length));
            }
        }
        return request;
    }

    /** A POST of {@code body} with the given Content-Type and an exact Content-Length. */
    public static byte[] post(String path, String contentType, byte[] body, String... headers) {
        StringBuilder extra = new StringBuilder();
        for (String header : headers) {
            extra.append(header).append("\r\n");
        }
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + body.length + "\r\n" + extra + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return concat(head, body);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before a complete response head: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    public record Response(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }
}
