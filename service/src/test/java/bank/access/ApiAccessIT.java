package bank.access;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.Await;
import bank.testing.BankApi;
import bank.testing.BankApi.Client;
import bank.testing.BankApi.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may call what, over HTTP against the real service: every operation needs a valid key (401), the scope it
 * names (403), and sees only the accounts of its client (404, the same answer as for an account that does not
 * exist). A refused request writes nothing.
 */
class ApiAccessIT {

    private static final Duration KEY_CACHE_TTL = Duration.ofSeconds(1);
    private static final String UNKNOWN = "01a21f29-ee76-73a3-ba00-57b9fc659254";

    @RegisterExtension
    static final BankApi api = new BankApi(ConfigOverride.config("access.keyCacheTtl", KEY_CACHE_TTL.toSeconds() + "s"));

    /** One API operation, with a request that would succeed for the test class's client. */
    record Operation(String scope, String method, String path, String body) {
        Reply send(BankApi caller) {
            HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path));
            if (method.equals("POST")) {
                request.POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                        .header("Idempotency-Key", UUID.randomUUID().toString());
            } else {
                request.GET();
            }
            return caller.send(request);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private String account;
    private String other;
    private String transfer;
    private String transaction;

    @BeforeEach
    void twoFundedAccountsAndATransfer() {
        account = api.openAccount("EUR");
        other = api.openAccount("EUR");
        api.credit(account, 10_000);
        transfer = api.postKeyed("/v1/transfers", Map.of("fromAccountId", account, "toAccountId", other,
                "amount", 100)).expect(201).text("id");
        transaction = api.get("/v1/accounts/" + account + "/transactions?limit=1").expect(200).body()
                .get("items").get(0).get("id").asText();
    }

    /** Every operation of the API, each with a request the test class's client may make. */
    private List<Operation> everyOperation() {
        String transactions = "/v1/accounts/" + account + "/transactions";
        return List.of(
                new Operation(Scope.ACCOUNTS_WRITE, "POST", "/v1/accounts", "{\"firstName\":\"Ada\",\"lastName\":\"L\"}"),
                new Operation(Scope.ACCOUNTS_READ, "GET", "/v1/accounts", null),
                new Operation(Scope.ACCOUNTS_READ, "GET", "/v1/accounts/" + account, null),
                new Operation(Scope.TRANSACTIONS_WRITE, "POST", transactions, "{\"type\":\"DEBIT\",\"amount\":7}"),
                new Operation(Scope.TRANSACTIONS_READ, "GET", transactions, null),
                new Operation(Scope.TRANSACTIONS_READ, "GET", transactions + "/" + transaction, null),
                new Operation(Scope.TRANSACTIONS_READ, "GET", "/v1/accounts/" + account + "/history", null),
                new Operation(Scope.TRANSFERS_WRITE, "POST", "/v1/transfers", "{\"fromAccountId\":\"" + account
                        + "\",\"toAccountId\":\"" + other + "\",\"amount\":5}"),
                new Operation(Scope.TRANSACTIONS_READ, "GET", "/v1/transfers/" + transfer, null));
    }

    @Test
    void theOperationsTestedHereAreEveryOperationTheServiceDocuments() {
        Set<String> documented = new TreeSet<>();
        api.get("/openapi.json").expect(200).body().get("paths").fields().forEachRemaining(path ->
                path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase() + " "
                        + path.getKey())));
        Set<String> tested = everyOperation().stream().map(op -> op.method() + " " + op.path()
                .replace(account, "{id}").replace(transfer, "{id}").replace(transaction, "{transactionId}")).collect(Collectors.toCollection(TreeSet::new));

        assertThat(tested).isEqualTo(documented);
    }

    @Test
    void withTheirScopeEveryOperationSucceeds() {
        for (Operation operation : everyOperation()) {
            assertThat(operation.send(api).status()).as(operation.toString()).isIn(200, 201);
        }
    }

    @Test
    void withoutAKeyEveryOperationIs401AndWritesNothing() {
        String before = writes();
        for (Operation operation : everyOperation()) {
            for (String header : new String[] {null, "Basic dXNlcjpwYXNz", "bearer"}) {
                BankApi caller = header == null ? api.withoutKey() : api.withRawAuthorization(header);
                Reply reply = operation.send(caller).expect(401);
                assertProblem(reply, "/problems/api-key-required", operation);
                assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"bank-api\"");
            }
        }
        assertThat(writes()).isEqualTo(before);
    }

    @Test
    void aWrongAMalformedOrARevokedKeyGetsTheSame401AndWritesNothing() {
        Client revoked = api.newClient("revoked", Scope.ALL.toArray(String[]::new));
        api.as(revoked).get("/v1/accounts").expect(200);
        new ApiClients(api.database().jdbi()).revoke(revoked.id());
        Await.until("the revoked key is refused", KEY_CACHE_TTL.plusSeconds(5),
                () -> api.as(revoked).get("/v1/accounts").status() == 401);
        String before = writes();

        for (Operation operation : everyOperation()) {
            Reply wrong = operation.send(api.withKey(ApiKeys.generate())).expect(401);
            assertProblem(wrong, "/problems/api-key-invalid", operation);
            assertThat(wrong.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"bank-api\", error=\"invalid_token\"");
            for (BankApi caller : List.of(api.as(revoked), api.withKey("not a key"), api.withKey("x".repeat(300)),
                    api.withKey(api.client().key() + "x"))) {
                Reply reply = operation.send(caller).expect(401);
                assertThat(withoutRequestId(reply.raw())).as(operation.toString()).isEqualTo(withoutRequestId(wrong.raw()));
                assertThat(headersOf(reply)).as(operation.toString()).isEqualTo(headersOf(wrong));
            }
        }
        assertThat(writes()).isEqualTo(before);
    }

    @Test
    void aKeyWithoutTheScopeOfTheOperationGets403AndWritesNothing() {
        String before = writes();
        for (Operation operation : everyOperation()) {
            List<String> allButOne = new ArrayList<>(Scope.ALL);
            allButOne.remove(operation.scope());
            Client lacking = api.newClient("lacks " + operation.scope(), allButOne.toArray(String[]::new));

            Reply reply = operation.send(api.as(lacking)).expect(403);

            assertProblem(reply, "/problems/insufficient-scope", operation);
            assertThat(reply.text("detail")).contains(operation.scope());
            assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"bank-api\", "
                    + "error=\"insufficient_scope\", scope=\"" + operation.scope() + "\"");
        }
        assertThat(writes()).isEqualTo(before);
    }

    /**
     * Nothing is written to the ledger. Like any refusal of a keyed POST, the 404 is stored under the stranger's own
     * Idempotency-Key, in its own scope, so that its retry gets the same answer.
     */
    @Test
    void anotherClientsAccountIsNotFoundOnEveryReadAndWriteAndNothingIsWritten() {
        Client strangerClient = api.newClient("stranger", BankApi.OPERATION_SCOPES);
        BankApi stranger = api.as(strangerClient);
        String strangers = stranger.openAccount("EUR");
        stranger.credit(strangers, 500);
        String before = ledger();
        long strangersKeys = keysOf(strangerClient);

        Map<String, String> theirs = new TreeMap<>();
        Map<String, String> unknown = new TreeMap<>();
        for (String id : List.of(account, UNKNOWN)) {
            Map<String, String> answers = id.equals(account) ? theirs : unknown;
            String transactions = "/v1/accounts/" + id + "/transactions";
            answers.put("get", withoutRequestId(stranger.get("/v1/accounts/" + id).expect(404).raw()));
            answers.put("history", withoutRequestId(stranger.get(transactions).expect(404).raw()));
            answers.put("credit", withoutRequestId(stranger.postKeyed(transactions, Map.of("type", "CREDIT",
                    "amount", 1)).expect(404).raw()));
            answers.put("debit", withoutRequestId(stranger.postKeyed(transactions, Map.of("type", "DEBIT",
                    "amount", 1)).expect(404).raw()));
            answers.put("transfer from", withoutRequestId(stranger.postKeyed("/v1/transfers", Map.of("fromAccountId", id,
                    "toAccountId", strangers, "amount", 1)).expect(404).raw().replace(id, "<id>")));
        }
        String unknownTransfer = withoutRequestId(stranger.get("/v1/transfers/" + UUID.randomUUID()).expect(404).raw());

        assertThat(theirs).isEqualTo(unknown);
        assertThat(theirs.get("get")).contains("/problems/not-found");
        assertThat(withoutRequestId(stranger.get("/v1/transfers/" + transfer).expect(404).raw())).isEqualTo(unknownTransfer);
        assertThat(ledger()).isEqualTo(before);
        assertThat(keysOf(strangerClient)).isEqualTo(strangersKeys + 6);
        assertThat(api.database().queryLong("SELECT count(*) FROM idempotency_keys WHERE scope = ? "
                + "AND response_status = 404", strangerClient.id().toString())).isEqualTo(6);
    }

    private static long keysOf(Client client) {
        return api.database().queryLong("SELECT count(*) FROM idempotency_keys WHERE scope = ?", client.id().toString());
    }

    @Test
    void moneyComesFromAnOwnedAccountAndGoesToAnyAndBothSidesSeeTheTransfer() {
        Client strangerClient = api.newClient("stranger", BankApi.OPERATION_SCOPES);
        BankApi stranger = api.as(strangerClient);
        String strangers = stranger.openAccount("EUR");

        JsonNode paid = api.postKeyed("/v1/transfers", Map.of("fromAccountId", account, "toAccountId", strangers,
                "amount", 250)).expect(201).body();

        assertThat(stranger.balance(strangers)).isEqualTo(250);
        JsonNode credit = stranger.get("/v1/accounts/" + strangers + "/transactions").expect(200).body().get("items").get(0);
        assertThat(credit.get("transferId").asText()).isEqualTo(paid.get("id").asText());
        assertThat(stranger.get("/v1/transfers/" + paid.get("id").asText()).expect(200).body()).isEqualTo(paid);
        assertThat(api.get("/v1/transfers/" + paid.get("id").asText()).expect(200).body()).isEqualTo(paid);
        BankApi third = api.as(api.newClient("third", Scope.TRANSACTIONS_READ));
        third.get("/v1/transfers/" + paid.get("id").asText()).expectProblem(404, "/problems/not-found");
        // The payee still cannot touch the payer's account.
        stranger.get("/v1/accounts/" + account).expectProblem(404, "/problems/not-found");
    }

    @Test
    void aListShowsTheClientsOwnAccountsAndEveryAccountToAnAdministrator() {
        BankApi stranger = api.as(api.newClient("stranger", Scope.ACCOUNTS_READ, Scope.ACCOUNTS_WRITE));
        String strangers = stranger.openAccount("USD");
        BankApi admin = api.as(api.newClient("operator", Scope.ACCOUNTS_READ, Scope.TRANSACTIONS_READ, Scope.ADMIN));

        assertThat(ids(api.get("/v1/accounts").expect(200))).containsExactly(account, other);
        assertThat(ids(stranger.get("/v1/accounts").expect(200))).containsExactly(strangers);
        assertThat(ids(admin.get("/v1/accounts").expect(200))).containsExactly(account, other, strangers);
        admin.get("/v1/accounts/" + strangers).expect(200);
        admin.get("/v1/accounts/" + account + "/transactions").expect(200);
        admin.get("/v1/transfers/" + transfer).expect(200);
    }

    @Test
    void theSameIdempotencyKeyFromTwoClientsIsTwoKeysAndNeverReplaysTheOthersResponse() {
        BankApi stranger = api.as(api.newClient("stranger", Scope.ACCOUNTS_WRITE, Scope.TRANSACTIONS_WRITE));
        Map<String, String> person = Map.of("firstName", "Ada", "lastName", "Lovelace");
        Reply mine = api.post("/v1/accounts", person, "Idempotency-Key", "shared-1").expect(201);
        Reply theirs = stranger.post("/v1/accounts", person, "Idempotency-Key", "shared-1").expect(201);
        assertThat(theirs.text("id")).isNotEqualTo(mine.text("id"));
        assertThat(theirs.header("Idempotent-Replayed")).isNull();

        // The stranger's refusal is stored under its key; the owner's identical request with the same key runs.
        String path = "/v1/accounts/" + account + "/transactions";
        Map<String, Object> credit = Map.of("type", "CREDIT", "amount", 40);
        stranger.post(path, credit, "Idempotency-Key", "shared-2").expect(404);
        Reply credited = api.post(path, credit, "Idempotency-Key", "shared-2").expect(201);
        assertThat(credited.header("Idempotent-Replayed")).isNull();
        assertThat(stranger.post(path, credit, "Idempotency-Key", "shared-2").expect(404)
                .header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(api.post(path, credit, "Idempotency-Key", "shared-2").expect(201).raw()).isEqualTo(credited.raw());

        assertThat(api.balance(account)).isEqualTo(10_000 - 100 + 40);
        assertThat(api.database().queryLong("SELECT count(*) FROM idempotency_keys WHERE key IN ('shared-1', 'shared-2')"))
                .isEqualTo(4);
    }

    @Test
    void aRevokedKeyIsRefusedWithinTheKeyCacheTtl() {
        Client client = api.newClient("soon revoked", Scope.ACCOUNTS_READ);
        api.as(client).get("/v1/accounts").expect(200);

        new ApiClients(api.database().jdbi()).revoke(client.id());

        // Refused once the cached entry expires: the wait's bound is the TTL plus slack for a busy machine, so a key
        // that stayed valid forever, or a cache that ignored its TTL, fails here.
        Await.until("the revoked key gets 401", KEY_CACHE_TTL.plusSeconds(5),
                () -> api.as(client).get("/v1/accounts").status() == 401);
        for (int i = 0; i < 5; i++) {
            api.as(client).get("/v1/accounts").expectProblem(401, "/problems/api-key-invalid");
        }
    }

    private static List<String> ids(Reply page) {
        List<String> ids = new ArrayList<>();
        page.body().get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private static void assertProblem(Reply reply, String type, Operation operation) {
        assertThat(reply.header("Content-Type")).as(operation.toString()).startsWith("application/problem+json");
        assertThat(reply.text("type")).as(operation.toString()).isEqualTo(type);
    }

    /** The headers of a response, except the one that differs between any two responses: its date. */
    private static Map<String, List<String>> headersOf(Reply reply) {
        Map<String, List<String>> headers = new TreeMap<>(reply.response().headers().map());
        headers.remove("date");
        // Each request has an id of its own; everything else must be the same.
        headers.remove("request-id");
        headers.remove("traceresponse");
        return headers;
    }

    private static String withoutRequestId(String body) {
        return body.replaceAll("\"requestId\":\"[0-9a-f]{32}\"", "");
    }

    /** Everything a request could have written: the rows of every table and the money in the accounts. */
    private static String writes() {
        return ledger() + ", idempotency_keys=" + api.database().queryLong("SELECT count(*) FROM idempotency_keys");
    }

    private static String ledger() {
        return List.of("accounts", "transactions", "transfers").stream()
                .map(table -> table + "=" + api.database().queryLong("SELECT count(*) FROM " + table))
                .collect(Collectors.joining(", "))
                + ", balances=" + api.database().queryLong("SELECT coalesce(sum(balance), 0) FROM accounts");
    }
}
