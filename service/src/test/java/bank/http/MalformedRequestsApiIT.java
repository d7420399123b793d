package bank.http;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import bank.testing.RawHttp;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests no well-behaved client sends, written byte by byte over a socket: each gets a 4xx problem document
 * of the right type (from the API or from the web server in front of it), quotes nothing of the input, and
 * writes nothing.
 */
class MalformedRequestsApiIT {

    @RegisterExtension
    static final BankApi api = new BankApi(
            ConfigOverride.config("server.applicationConnectors[0].idleTimeout", "2s"),
            ConfigOverride.config("http.requestBodyTimeout", "2s"),
            ConfigOverride.config("http.maxRequestBodySize", "16KiB"));

    private RawHttp raw;
    private String account;

    @BeforeEach
    void oneFundedAccount() {
        raw = new RawHttp(api.app().getLocalPort(), "Authorization: Bearer " + api.client().key());
        account = api.openAccount("USD");
        api.credit(account, 1_000);
    }

    /**
     * A request refused before its body is read (here for its key, while the body is still on its way) leaves bytes
     * on the connection that the server will not read, so it closes the connection: the response must say so, or a
     * client that sends its next request on that connection finds it closed with no answer.
     */
    @Test
    void aRequestRefusedBeforeItsBodyArrivesClosesItsConnectionAndSaysSo() {
        RawHttp stranger = new RawHttp(api.app().getLocalPort(), "Authorization: Bearer bank_sk_" + "0".repeat(43));
        byte[] body = utf8("{\"firstName\":\"Ada\",\"lastName\":\"L\"}");
        byte[] request = RawHttp.post("/v1/accounts", "application/json", body);
        byte[] head = Arrays.copyOf(request, request.length - body.length);

        RawHttp.Response reply = stranger.send(List.of(head, body), 500, false);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().path("type").asText()).isEqualTo("/problems/api-key-invalid");
        assertThat(reply.header("Connection")).isEqualTo("close");
    }

    @Test
    void aRequestWhoseBodyWasReadKeepsItsConnection() {
        RawHttp.Response reply = raw.send(RawHttp.post("/v1/accounts", "application/json",
                utf8("{\"firstName\":\"Ada\",\"lastName\":\"L\"}")));

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.header("Connection")).isNull();
    }

    static Stream<Arguments> invalidText() {
        return Stream.of(
                Arguments.of("{\"firstName\":\"Ada\\u0000\",\"lastName\":\"L\"}", "firstName", "control characters"),
                Arguments.of("{\"firstName\":\"Ada\",\"lastName\":\"L\\u0007\"}", "lastName", "control characters"),
                Arguments.of("{\"firstName\":\"Ada\",\"lastName\":\"L\",\"address\":\"1 Road\\nForged: line\"}", "address", "control characters"),
                Arguments.of("{\"firstName\":\"\\u3000\\u3000\",\"lastName\":\"L\"}", "firstName", "blank"),
                Arguments.of("{\"firstName\":\"\\u00a0\",\"lastName\":\"L\"}", "firstName", "blank"),
                Arguments.of("{\"firstName\":\"\\ufeff\\u2003\",\"lastName\":\"L\"}", "firstName", "blank"),
                Arguments.of("{\"firstName\":\"Ada\\ud800\",\"lastName\":\"L\"}", "firstName", "lone surrogate"),
                Arguments.of("{\"firstName\":\"Ada\",\"lastName\":\"\\udc00L\"}", "lastName", "lone surrogate"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidText")
    void textWithControlCharactersOnlyWhitespaceOrLoneSurrogatesIsUnprocessable(String body, String field, String reason) {
        RawHttp.Response reply = raw.send(RawHttp.post("/v1/accounts", "application/json", utf8(body)));

        JsonNode problem = assertProblem(reply, 422, "/problems/validation-failed");
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo(field);
        assertThat(problem.get("errors").get(0).get("message").asText()).contains(reason);
        assertThat(api.database().queryLong("SELECT count(*) FROM accounts")).isEqualTo(1);
    }

    @Test
    void aTransactionDescriptionWithANewlineIsUnprocessable() {
        RawHttp.Response reply = raw.send(RawHttp.post("/v1/accounts/" + account + "/transactions", "application/json",
                utf8("{\"type\":\"CREDIT\",\"amount\":5,\"description\":\"rent\\r\\nINFO forged\"}"),
                "Idempotency-Key: newline-1"));

        assertThat(assertProblem(reply, 422, "/problems/validation-failed").get("errors").get(0).get("field").asText())
                .isEqualTo("description");
        assertThat(api.balance(account)).isEqualTo(1_000);
    }

    @Test
    void namesAreStoredWithoutTheWhitespaceAroundThem() {
        String id = api.post("/v1/accounts", "{\"firstName\":\"\\u3000Ada\\u00a0\",\"lastName\":\" Lovelace\\u2003\"}")
                .expect(201).text("id");

        JsonNode stored = api.get("/v1/accounts/" + id).expect(200).body();
        assertThat(stored.get("firstName").asText()).isEqualTo("Ada");
        assertThat(stored.get("lastName").asText()).isEqualTo("Lovelace");
    }

    @Test
    void lengthsCountCharactersNotUtf16Units() {
        String hundredEmoji = "\\ud83d\\ude00".repeat(100);
        api.post("/v1/accounts", "{\"firstName\":\"" + hundredEmoji + "\",\"lastName\":\"L\"}").expect(201);
        RawHttp.Response tooLong = raw.send(RawHttp.post("/v1/accounts", "application/json",
                utf8("{\"firstName\":\"" + hundredEmoji + "a\",\"lastName\":\"L\"}")));
        assertThat(assertProblem(tooLong, 422, "/problems/validation-failed").get("errors").get(0)
                .get("field").asText()).isEqualTo("firstName");
    }

    @Test
    void aKeyNamedTwiceIsMalformedAndCreditsNothing() {
        RawHttp.Response reply = raw.send(RawHttp.post("/v1/accounts/" + account + "/transactions", "application/json",
                utf8("{\"type\":\"CREDIT\",\"amount\":1,\"amount\":7}"), "Idempotency-Key: duplicate-1"));

        assertProblem(reply, 400, "/problems/malformed-request");
        assertThat(api.balance(account)).isEqualTo(1_000);
    }

    static Stream<Arguments> notUtf8() {
        byte[] prefix = utf8("{\"firstName\":\"Ada");
        byte[] suffix = utf8("\",\"lastName\":\"L\"}");
        return Stream.of(
                Arguments.of("overlong '.'", RawHttp.concat(prefix, new byte[] {(byte) 0xc0, (byte) 0xae}, suffix)),
                Arguments.of("overlong NUL", RawHttp.concat(prefix, new byte[] {(byte) 0xc0, (byte) 0x80}, suffix)),
                Arguments.of("encoded surrogate", RawHttp.concat(prefix, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, suffix)),
                Arguments.of("stray continuation byte", RawHttp.concat(prefix, new byte[] {(byte) 0x80}, suffix)),
                Arguments.of("0xff", RawHttp.concat(prefix, new byte[] {(byte) 0xff}, suffix)),
                Arguments.of("UTF-16", "{\"firstName\":\"Ada\",\"lastName\":\"L\"}".getBytes(StandardCharsets.UTF_16LE)),
                Arguments.of("raw NUL", RawHttp.concat(prefix, new byte[] {0}, suffix)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("notUtf8")
    void aBodyThatIsNotUtf8IsMalformed(String what, byte[] body) {
        assertProblem(raw.send(RawHttp.post("/v1/accounts", "application/json", body)), 400, "/problems/malformed-request");
        assertThat(api.database().queryLong("SELECT count(*) FROM accounts")).isEqualTo(1);
    }

    @Test
    void aCharsetOtherThanUtf8IsUnsupported() {
        byte[] body = utf8("{\"firstName\":\"Ada\",\"lastName\":\"L\"}");
        assertProblem(raw.send(RawHttp.post("/v1/accounts", "application/json; charset=ISO-8859-1", body)),
                415, "/problems/unsupported-media-type");
        assertProblem(raw.send(RawHttp.post("/v1/accounts", "application/json; charset=utf-16", body)),
                415, "/problems/unsupported-media-type");
        raw.send(RawHttp.post("/v1/accounts", "application/json; charset=UTF-8", body));
        assertThat(api.database().queryLong("SELECT count(*) FROM accounts")).isEqualTo(2);
    }

    @Test
    void anUnknownFieldIsNamedBoundedAndEscapedNeverWhole() {
        String name = "Zebedee\\nINFO forged line " + "x".repeat(300);
        RawHttp.Response reply = raw.send(RawHttp.post("/v1/accounts", "application/json",
                utf8("{\"firstName\":\"Ada\",\"lastName\":\"L\",\"" + name + "\":1}")));

        String field = assertProblem(reply, 422, "/problems/validation-failed").get("errors").get(0).get("field").asText();
        assertThat(field).startsWith("Zebedee\\u000aINFO forged").doesNotContain("\n")
                .hasSizeLessThanOrEqualTo(Problem.FieldError.MAX_FIELD_LENGTH + 10);
        assertThat(reply.body()).doesNotContain("x".repeat(100));
    }

    static Stream<Arguments> refusedByTheWebServer() {
        return Stream.of(
                Arguments.of("GET /v1/accounts/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "/problems/malformed-request"),
                Arguments.of("GET /v1/accounts/a%2Fb HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "/problems/malformed-request"),
                Arguments.of("GET /v1/accounts/%C0%AE HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "/problems/malformed-request"),
                Arguments.of("GET /v1/accounts/\u0001 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "/problems/malformed-request"),
                Arguments.of("GET /v1/" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", 414, "/problems/uri-too-long"),
                Arguments.of("GET /v1/accounts HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(9_000) + "\r\n\r\n", 431,
                        "/problems/headers-too-large"),
                Arguments.of("GET /v1/accounts HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n", 400, "/problems/malformed-request"),
                Arguments.of("GET /v1/accounts HTTP/7.0\r\nHost: localhost\r\n\r\n", 505, "/problems/internal-error"),
                Arguments.of("FOO /nowhere HTTP/1.1\r\nHost: localhost\r\n\r\n", 404, "/problems/not-found"),
                Arguments.of("POST /v1/accounts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n", 400, "/problems/malformed-request"),
                Arguments.of("POST /v1/accounts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 5\r\nContent-Length: 7\r\n\r\n{}", 400, "/problems/malformed-request"));
    }

    @ParameterizedTest(name = "[{index}] {1} {2}")
    @MethodSource("refusedByTheWebServer")
    void whatTheWebServerRefusesIsAProblemDocumentToo(String request, int status, String type) {
        assertProblem(raw.send(request.getBytes(StandardCharsets.ISO_8859_1)), status, type);
    }

    @Test
    void anUnknownMethodIs405WithTheMethodsThePathAllows() {
        for (String method : new String[] {"FOO", "TRACE", "PROPFIND"}) {
            RawHttp.Response reply = raw.send(method + " /v1/accounts/" + account + "/transactions HTTP/1.1\r\nHost: x\r\n\r\n");
            assertProblem(reply, 405, "/problems/method-not-allowed");
            assertThat(reply.header("Allow")).contains("GET", "POST").doesNotContain(method);
        }
        RawHttp.Response transfer = raw.send("TRACE /v1/transfers/" + account + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(transfer.header("Allow")).contains("GET").doesNotContain("POST");
    }

    @Test
    void aBodyCutShortIsMalformed() {
        byte[] head = utf8("POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n");
        RawHttp.Response reply = raw.send(List.of(head, utf8("{\"firstName\":\"Ada\",")), 0, true);

        assertProblem(reply, 400, "/problems/malformed-request");
        assertThat(api.database().queryLong("SELECT count(*) FROM accounts")).isEqualTo(1);
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsSent() {
        // Only the head goes out: the answer must come from the declared length alone.
        byte[] head = utf8("POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n");
        assertProblem(raw.send(head), 413, "/problems/content-too-large");
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWhileItIsRead() {
        List<byte[]> parts = new ArrayList<>();
        parts.add(utf8("POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
        parts.add(utf8("e\r\n{\"firstName\":\"\r\n"));
        for (int i = 0; i < 40; i++) {
            parts.add(utf8("400\r\n" + "a".repeat(1024) + "\r\n"));
        }
        parts.add(utf8("0\r\n\r\n"));

        assertProblem(raw.send(parts, 0, false), 413, "/problems/content-too-large");
        assertThat(api.database().queryLong("SELECT count(*) FROM accounts")).isEqualTo(1);
    }

    @Test
    void aBodyThatStopsArrivingTimesOut() {
        byte[] head = utf8("POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n");
        assertProblem(raw.send(List.of(head, utf8("{\"firstName\":")), 0, false), 408, "/problems/request-timeout");
    }

    @Test
    void aBodySentByteByByteTimesOut() {
        List<byte[]> parts = new ArrayList<>();
        parts.add(utf8("POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n"));
        for (int i = 0; i < 400; i++) {
            parts.add(new byte[] {' '});
        }
        assertProblem(raw.send(parts, 500, false), 408, "/problems/request-timeout");
        assertThat(api.database().queryLong("SELECT count(*) FROM accounts")).isEqualTo(1);
    }

    private static JsonNode assertProblem(RawHttp.Response reply, int status, String type) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.get("type").asText()).isEqualTo(type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        return problem;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
