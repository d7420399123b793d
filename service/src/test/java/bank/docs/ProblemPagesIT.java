package bank.docs;

import static org.assertj.core.api.Assertions.assertThat;

import bank.http.ProblemType;
import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A problem's {@code type} resolves, against the URI of the request that got it, to a page of the service that
 * names the problem and says what to do, for anyone: the pages need no key and count against no rate limit.
 */
class ProblemPagesIT {

    @RegisterExtension
    static final BankApi api = new BankApi();

    @ParameterizedTest
    @EnumSource(ProblemType.class)
    void everyProblemTypeResolvesToAPageNamingIt(ProblemType type) {
        // With a key, which a /v1 request would count against the client's rate limit.
        Reply page = api.send(HttpRequest.newBuilder(api.uri("/v1/accounts").resolve(type.uri())).GET());

        assertThat(page.status()).as(page.raw()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualToIgnoringCase("text/html;charset=UTF-8");
        assertThat(page.header("RateLimit")).as("counted against no rate limit").isNull();
        assertThat(page.raw()).contains("<title>" + ProblemPages.html(type.title()) + "</title>",
                "status " + type.status(), "<h2>What to do</h2>", ProblemPages.html(type.advice()));
    }

    @Test
    void theTypeOfAProblemAnsweredToABadRequestResolves() {
        URI request = api.uri("/v1/accounts/" + api.openAccount("EUR") + "/transactions");
        Reply refused = api.postKeyed(request.getPath(), Map.of("type", "DEBIT", "amount", 100)).expect(422);
        Reply unauthenticated = api.withoutKey().get("/v1/accounts").expect(401);

        for (Reply problem : new Reply[] {refused, unauthenticated}) {
            Reply page = fetch(request.resolve(problem.text("type")));
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            assertThat(page.raw()).contains("<h1>" + problem.text("title") + "</h1>");
        }
        assertThat(refused.text("type")).isEqualTo("/problems/insufficient-funds");
    }

    @Test
    void theIndexLinksEveryPage() {
        Reply index = fetch(api.uri(ProblemType.PAGES));

        assertThat(index.status()).isEqualTo(200);
        for (ProblemType type : ProblemType.values()) {
            assertThat(index.raw()).contains("<a href=\"" + type.uri() + "\">");
        }
    }

    @Test
    void anUnknownProblemTypeIsANotFoundProblemWhoseTypeResolves() {
        Reply unknown = fetch(api.uri(ProblemType.PAGES + "/no-such-problem"));

        unknown.expectProblem(404, "/problems/not-found");
        assertThat(unknown.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(fetch(api.uri(ProblemType.PAGES + "/no-such-problem").resolve(unknown.text("type"))).status())
                .isEqualTo(200);
    }

    /** As a browser or a client following the link fetches it: no key, no Accept of JSON. */
    private static Reply fetch(URI page) {
        return api.withoutKey().send(HttpRequest.newBuilder(page).header("Accept", "text/html").GET());
    }
}
