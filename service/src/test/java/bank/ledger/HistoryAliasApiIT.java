package bank.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deprecated alias of the history answers as its successor does, and says on every answer that it is deprecated
 * (RFC 9745), when it will be removed (RFC 8594) and where to go instead; the document marks it deprecated.
 */
class HistoryAliasApiIT {

    private static final Pattern SUCCESSOR = Pattern.compile("^<([^>]+)>; rel=\"successor-version\"$");

    @RegisterExtension
    static final BankApi api = new BankApi();

    @Test
    void theDeprecatedPathAnswersAsItsSuccessorWithDeprecationSunsetAndLink() {
        String account = api.openAccount("EUR");
        api.postKeyed("/v1/accounts/" + account + "/transactions", Map.of("type", "CREDIT", "amount", 70)).expect(201);
        api.postKeyed("/v1/accounts/" + account + "/transactions", Map.of("type", "DEBIT", "amount", 20)).expect(201);

        Reply old = api.get("/v1/accounts/" + account + "/history?limit=1").expect(200);

        assertThat(old.header("Deprecation")).isEqualTo("@" + Instant.parse("2026-12-01T00:00:00Z").getEpochSecond());
        assertThat(old.header("Sunset")).isEqualTo("Tue, 01 Jun 2027 00:00:00 GMT");
        assertThat(ZonedDateTime.parse(old.header("Sunset"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
                .isAfter(Instant.ofEpochSecond(Long.parseLong(old.header("Deprecation").substring(1))));
        Matcher link = SUCCESSOR.matcher(old.header("Link"));
        assertThat(link.matches()).as(old.header("Link")).isTrue();
        Reply successor = api.get(link.group(1) + "?limit=1").expect(200);
        assertThat(successor.header("Deprecation")).isNull();
        assertThat(old.body()).isEqualTo(successor.body());
        assertThat(old.body().get("hasMore").asBoolean()).isTrue();
        api.get("/v1/accounts/01a21f29-ee76-73a3-ba00-57b9fc659254/history").expectProblem(404, "/problems/not-found");
    }

    @Test
    void theDocumentMarksTheAliasDeprecatedAndItsHeaders() {
        var operation = api.get("/openapi.json").expect(200).body().path("paths").path("/v1/accounts/{id}/history")
                .path("get");

        assertThat(operation.path("deprecated").asBoolean()).isTrue();
        assertThat(operation.path("responses").path("200").path("headers").fieldNames()).toIterable()
                .contains("Deprecation", "Sunset", "Link");
    }
}
