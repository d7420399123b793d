package bank.http;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import bank.testing.RawHttp;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Without the agent (as here) every response still carries a request id: W3C-shaped, unique, the same in the
 * {@code Request-Id} header, in {@code traceresponse} and in the problem document, whether the answer comes from a
 * resource, a filter, a mapper or the web server itself.
 */
class RequestIdApiIT {

    private static final String TRACE_ID = "[0-9a-f]{32}";

    @RegisterExtension
    static final BankApi api = new BankApi();

    @Test
    void everyAnswerCarriesOneUniqueIdInBothHeadersAndInItsProblemDocument() {
        String account = api.openAccount("EUR");
        List<Reply> replies = List.of(
                api.post("/v1/accounts", Map.of("firstName", "Ada", "lastName", "Lovelace")).expect(201),
                api.get("/v1/accounts/" + account).expect(200),
                api.get("/v1/accounts?limit=1").expect(200),
                api.get("/v1/accounts/" + account + "/transactions").expect(200),
                api.withoutKey().get("/v1/accounts").expect(401),
                api.withKey("bank_sk_" + "0".repeat(43)).get("/v1/accounts").expect(401),
                api.get("/v1/nothing-here").expect(404),
                api.get("/v1/accounts/01a21f29-ee76-73a3-ba00-57b9fc659254").expect(404),
                api.post("/v1/accounts", Map.of("firstName", "")).expect(422),
                api.postRaw("/v1/accounts", "Ada", "text/plain").expect(415),
                api.post("/v1/accounts/" + account + "/transactions", Map.of("type", "CREDIT", "amount", 5)).expect(400));
        Set<String> ids = new HashSet<>();
        for (Reply reply : replies) {
            String id = reply.header(RequestId.HEADER);
            assertThat(id).as(reply.raw()).matches(TRACE_ID).isNotEqualTo("0".repeat(32));
            assertThat(reply.header(RequestId.TRACERESPONSE)).as(reply.raw())
                    .matches("00-" + id + "-(?!0{16})[0-9a-f]{16}-0[01]");
            if (reply.status() >= 400) {
                assertThat(reply.header("Content-Type")).startsWith(Problem.MEDIA_TYPE);
                assertThat(reply.text("requestId")).as(reply.raw()).isEqualTo(id);
            }
            ids.add(id);
        }
        assertThat(ids).as("one id per request").hasSize(replies.size());
    }

    @Test
    void theWebServersOwnRefusalsCarryTheIdToo() {
        RawHttp raw = new RawHttp(api.app().getLocalPort(), "X-Nothing: 1");
        List<RawHttp.Response> refusals = new ArrayList<>(List.of(
                raw.send("GET /v1/accounts/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                raw.send("GET /v1/" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                raw.send("TRACE /v1/accounts HTTP/1.1\r\nHost: localhost\r\n\r\n")));
        for (RawHttp.Response refusal : refusals) {
            String id = refusal.header(RequestId.HEADER);
            assertThat(id).as(refusal.status() + " " + refusal.body()).matches(TRACE_ID);
            assertThat(refusal.header(RequestId.TRACERESPONSE)).startsWith("00-" + id + "-");
            JsonNode problem = refusal.json();
            assertThat(problem.path("requestId").asText()).as(refusal.body()).isEqualTo(id);
        }
    }
}
