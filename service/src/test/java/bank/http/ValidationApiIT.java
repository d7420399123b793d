package bank.http;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import java.net.http.HttpRequest;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a request can be wrong gets a problem+json answer with the right status, names the field where
 * there is one, and leaves the database as it was.
 */
class ValidationApiIT {

    @RegisterExtension
    static final BankApi api = new BankApi();

    private String account;
    private String other;

    @BeforeEach
    void twoFundedAccounts() {
        account = api.openAccount("USD");
        other = api.openAccount("USD");
        api.credit(account, 1_000);
    }

    static Stream<Arguments> badAccounts() {
        return Stream.of(
                Arguments.of("{\"firstName\":\"Ada\"", 400, "/problems/malformed-request", null),
                Arguments.of("not json", 400, "/problems/malformed-request", null),
                Arguments.of("", 400, "/problems/malformed-request", null),
                Arguments.of("[1,2]", 400, "/problems/malformed-request", null),
                Arguments.of("{\"firstName\":\"Ada\",\"lastName\":\"L\"} trailing", 400, "/problems/malformed-request", null),
                Arguments.of("{\"lastName\":\"Lovelace\"}", 422, "/problems/validation-failed", "firstName"),
                Arguments.of("{\"firstName\":\"Ada\"}", 422, "/problems/validation-failed", "lastName"),
                Arguments.of("{\"firstName\":\"  \",\"lastName\":\"L\"}", 422, "/problems/validation-failed", "firstName"),
                Arguments.of("{\"firstName\":\"" + "x".repeat(101) + "\",\"lastName\":\"L\"}", 422, "/problems/validation-failed", "firstName"),
                Arguments.of("{\"firstName\":\"Ada\",\"lastName\":\"L\",\"address\":\"" + "x".repeat(501) + "\"}", 422, "/problems/validation-failed", "address"),
                Arguments.of("{\"firstName\":42,\"lastName\":\"L\"}", 422, "/problems/validation-failed", "firstName"),
                Arguments.of("{\"firstName\":\"Ada\",\"lastName\":\"L\",\"currency\":\"usd\"}", 422, "/problems/validation-failed", "currency"),
                Arguments.of("{\"firstName\":\"Ada\",\"lastName\":\"L\",\"currency\":\"ZZZ\"}", 422, "/problems/validation-failed", "currency"),
                // Empty and blank are values outside the enum, not a way to leave the currency out.
                Arguments.of("{\"firstName\":\"Ada\",\"lastName\":\"L\",\"currency\":\"\"}", 422, "/problems/validation-failed", "currency"),
                Arguments.of("{\"firstName\":\"Ada\",\"lastName\":\"L\",\"currency\":\"   \"}", 422, "/problems/validation-failed", "currency"),
                Arguments.of("{\"firstName\":\"Ada\",\"lastName\":\"L\",\"currency\":\" EUR\"}", 422, "/problems/validation-failed", "currency"),
                Arguments.of("{\"firstName\":\"Ada\",\"lastName\":\"L\",\"currency\":7}", 422, "/problems/validation-failed", "currency"),
                Arguments.of("{\"firstName\":\"Ada\",\"lastName\":\"L\",\"nickname\":\"A\"}", 422, "/problems/validation-failed", "nickname"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("badAccounts")
    void refusesBadAccounts(String body, int status, String type, String field) {
        Reply reply = api.postRaw("/v1/accounts", body, "application/json").expect(status);

        assertProblem(reply, status, type, field);
        assertThat(api.database().queryLong("SELECT count(*) FROM accounts")).isEqualTo(2);
    }

    static Stream<Arguments> badTransactions() {
        return Stream.of(
                Arguments.of("{\"type\":\"CREDIT\",\"amount\":0}", "amount"),
                Arguments.of("{\"type\":\"CREDIT\",\"amount\":-5}", "amount"),
                Arguments.of("{\"type\":\"CREDIT\",\"amount\":1.5}", "amount"),
                Arguments.of("{\"type\":\"CREDIT\",\"amount\":\"100\"}", "amount"),
                Arguments.of("{\"type\":\"CREDIT\",\"amount\":true}", "amount"),
                Arguments.of("{\"type\":\"CREDIT\",\"amount\":9223372036854775808}", "amount"),
                Arguments.of("{\"type\":\"CREDIT\",\"amount\":99999999999999999999999}", "amount"),
                Arguments.of("{\"type\":\"CREDIT\"}", "amount"),
                Arguments.of("{\"type\":\"CREDIT\",\"amount\":null}", "amount"),
                Arguments.of("{\"amount\":10}", "type"),
                Arguments.of("{\"type\":\"REFUND\",\"amount\":10}", "type"),
                Arguments.of("{\"type\":\"credit\",\"amount\":10}", "type"),
                Arguments.of("{\"type\":\"\",\"amount\":10}", "type"),
                Arguments.of("{\"type\":\"  \",\"amount\":10}", "type"),
                Arguments.of("{\"type\":\"CREDIT\",\"amount\":10,\"description\":\"" + "d".repeat(281) + "\"}", "description"),
                Arguments.of("{\"type\":\"CREDIT\",\"amount\":10,\"ammount\":10}", "ammount"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badTransactions")
    void refusesBadTransactions(String body, String field) {
        Reply reply = api.postRaw("/v1/accounts/" + account + "/transactions", body, "application/json",
                "Idempotency-Key", UUID.randomUUID().toString()).expect(422);

        assertProblem(reply, 422, "/problems/validation-failed", field);
        assertThat(api.balance(account)).isEqualTo(1_000);
        assertThat(api.database().queryLong("SELECT count(*) FROM transactions")).isEqualTo(1);
    }

    static Stream<Arguments> badTransfers() {
        return Stream.of(
                Arguments.of("{\"fromAccountId\":\"nope\",\"toAccountId\":\"%2$s\",\"amount\":1}", "fromAccountId"),
                Arguments.of("{\"fromAccountId\":\"%1$s\",\"amount\":1}", "toAccountId"),
                Arguments.of("{\"fromAccountId\":\"%1$s\",\"toAccountId\":\"%2$s\",\"amount\":0}", "amount"),
                Arguments.of("{\"fromAccountId\":\"%1$s\",\"toAccountId\":\"%2$s\",\"amount\":\"1\"}", "amount"),
                Arguments.of("{\"fromAccountId\":\"%1$s\",\"toAccountId\":\"%2$s\"}", "amount"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badTransfers")
    void refusesBadTransfers(String template, String field) {
        Reply reply = api.postRaw("/v1/transfers", template.formatted(account, other), "application/json",
                "Idempotency-Key", UUID.randomUUID().toString()).expect(422);

        assertProblem(reply, 422, "/problems/validation-failed", field);
        assertThat(api.database().queryLong("SELECT count(*) FROM transfers")).isZero();
    }

    @Test
    void wrongContentTypeIsUnsupportedMediaType() {
        Reply plain = api.postRaw("/v1/accounts", "{\"firstName\":\"Ada\",\"lastName\":\"L\"}", "text/plain").expect(415);
        Reply none = api.postRaw("/v1/transfers", "{}", null).expect(415);

        assertProblem(plain, 415, "/problems/unsupported-media-type", null);
        assertProblem(none, 415, "/problems/unsupported-media-type", null);
    }

    @Test
    void badPagingParametersAreUnprocessable() {
        for (String query : new String[] {"limit=0", "limit=201", "limit=-1", "limit=abc", "limit=1.5", "limit=%2B5", "limit=%205", "after=xyz", "after="}) {
            assertProblem(api.get("/v1/accounts?" + query).expect(422), 422, "/problems/validation-failed",
                    query.substring(0, query.indexOf('=')));
            assertProblem(api.get("/v1/accounts/" + account + "/transactions?" + query).expect(422), 422,
                    "/problems/validation-failed", query.substring(0, query.indexOf('=')));
        }
    }

    @Test
    void unknownRoutesAndMethodsAreProblems() {
        assertProblem(api.get("/v1/nothing-here").expect(404), 404, "/problems/not-found", null);
        Reply notAllowed = api.send(HttpRequest.newBuilder(api.uri("/v1/accounts")).DELETE()).expect(405);
        assertProblem(notAllowed, 405, "/problems/method-not-allowed", null);
        assertThat(notAllowed.header("Allow")).contains("GET").contains("POST");
    }

    @Test
    void anInvalidIdempotencyKeyIsUnprocessable() {
        Reply tooLong = api.post("/v1/accounts", "{\"firstName\":\"Ada\",\"lastName\":\"L\"}",
                "Idempotency-Key", "k".repeat(256)).expect(422);

        assertProblem(tooLong, 422, "/problems/validation-failed", "Idempotency-Key");
        assertThat(api.database().queryLong("SELECT count(*) FROM accounts")).isEqualTo(2);
    }

    private static void assertProblem(Reply reply, int status, String type, String field) {
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.body().get("type").asText()).isEqualTo(type);
        assertThat(reply.body().get("status").asInt()).isEqualTo(status);
        assertThat(reply.body().get("title").asText()).isNotBlank();
        assertThat(reply.body().get("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(reply.body().get("errors")).as(reply.raw()).isNotNull();
            assertThat(reply.body().get("errors").findValuesAsText("field")).as(reply.raw()).contains(field);
        }
        assertThat(reply.raw()).doesNotContain("Exception", "at bank.", "com.fasterxml", "org.", "SELECT", "INSERT",
                "java.");
    }
}
