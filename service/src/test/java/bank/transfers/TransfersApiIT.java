package bank.transfers;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TransfersApiIT {

    private static final String UNKNOWN = "01a21f29-ee76-73a3-ba00-57b9fc659254";

    @RegisterExtension
    static final BankApi api = new BankApi();

    @Test
    void movesMoneyAndShowsInBothAccountsHistories() {
        String from = api.openAccount("EUR");
        String to = api.openAccount("EUR");
        api.credit(from, 10_000);

        Reply reply = api.postKeyed("/v1/transfers", transfer(from, to, 2_500, "rent")).expect(201);

        JsonNode transfer = reply.body();
        String id = transfer.get("id").asText();
        assertThat(reply.header("Location")).endsWith("/v1/transfers/" + id);
        assertThat(transfer.get("fromAccountId").asText()).isEqualTo(from);
        assertThat(transfer.get("toAccountId").asText()).isEqualTo(to);
        assertThat(transfer.get("amount").asLong()).isEqualTo(2_500);
        assertThat(transfer.get("currency").asText()).isEqualTo("EUR");
        assertThat(transfer.get("description").asText()).isEqualTo("rent");
        assertThat(api.balance(from)).isEqualTo(7_500);
        assertThat(api.balance(to)).isEqualTo(2_500);

        JsonNode debit = api.get("/v1/accounts/" + from + "/transactions").expect(200).body().get("items").get(0);
        JsonNode credit = api.get("/v1/accounts/" + to + "/transactions").expect(200).body().get("items").get(0);
        assertThat(debit.get("type").asText()).isEqualTo("DEBIT");
        assertThat(debit.get("transferId").asText()).isEqualTo(id);
        assertThat(debit.get("balanceAfter").asLong()).isEqualTo(7_500);
        assertThat(credit.get("type").asText()).isEqualTo("CREDIT");
        assertThat(credit.get("transferId").asText()).isEqualTo(id);
        assertThat(credit.get("balanceAfter").asLong()).isEqualTo(2_500);

        assertThat(api.get("/v1/transfers/" + id).expect(200).body()).isEqualTo(transfer);
    }

    @Test
    void insufficientFundsIsRefusedAndWritesNothing() {
        String from = api.openAccount("EUR");
        String to = api.openAccount("EUR");
        api.credit(from, 100);

        Reply refused = api.postKeyed("/v1/transfers", transfer(from, to, 101, null)).expect(422);

        assertThat(refused.text("type")).isEqualTo("/problems/insufficient-funds");
        assertNothingWrittenBeyondTheDeposit(from, to);
    }

    @Test
    void sameAccountOnBothSidesIsRefused() {
        String account = api.openAccount("EUR");
        api.credit(account, 100);

        Reply refused = api.postKeyed("/v1/transfers", transfer(account, account, 1, null)).expect(422);

        assertThat(refused.text("type")).isEqualTo("/problems/same-account");
        assertThat(api.database().queryLong("SELECT count(*) FROM transfers")).isZero();
    }

    @Test
    void currenciesMustMatch() {
        String from = api.openAccount("EUR");
        String to = api.openAccount("USD");
        api.credit(from, 100);

        Reply refused = api.postKeyed("/v1/transfers", transfer(from, to, 1, null)).expect(422);

        assertThat(refused.text("type")).isEqualTo("/problems/currency-mismatch");
        assertNothingWrittenBeyondTheDeposit(from, to);
    }

    @Test
    void anUnknownAccountOnEitherSideIsNotFound() {
        String known = api.openAccount("EUR");
        api.credit(known, 100);

        Reply unknownTarget = api.postKeyed("/v1/transfers", transfer(known, UNKNOWN, 1, null))
                .expectProblem(404, "/problems/not-found");
        Reply unknownSource = api.postKeyed("/v1/transfers", transfer(UNKNOWN, known, 1, null))
                .expectProblem(404, "/problems/not-found");

        assertThat(unknownTarget.text("detail")).contains(UNKNOWN);
        assertThat(unknownSource.text("detail")).contains(UNKNOWN);
        assertThat(api.balance(known)).isEqualTo(100);
        assertThat(api.database().queryLong("SELECT count(*) FROM transfers")).isZero();
    }

    @Test
    void aCreditThatWouldOverflowTheTargetRefusesTheWholeTransfer() {
        String from = api.openAccount("EUR");
        String to = api.openAccount("EUR");
        api.credit(from, 10);
        api.credit(to, Long.MAX_VALUE);

        api.postKeyed("/v1/transfers", transfer(from, to, 10, null)).expectProblem(422, "/problems/balance-limit");

        assertThat(api.balance(from)).isEqualTo(10);
        assertThat(api.balance(to)).isEqualTo(Long.MAX_VALUE);
        assertThat(api.database().queryLong("SELECT count(*) FROM transfers")).isZero();
    }

    @Test
    void unknownOrMalformedTransferIdsAreNotFound() {
        api.get("/v1/transfers/" + UNKNOWN).expectProblem(404, "/problems/not-found");
        api.get("/v1/transfers/xyz").expectProblem(404, "/problems/not-found");
    }

    private void assertNothingWrittenBeyondTheDeposit(String from, String to) {
        assertThat(api.balance(from)).isEqualTo(100);
        assertThat(api.balance(to)).isZero();
        assertThat(api.database().queryLong("SELECT count(*) FROM transfers")).isZero();
        assertThat(api.database().queryLong("SELECT count(*) FROM transactions")).isEqualTo(1);
    }

    static Map<String, Object> transfer(String from, String to, long amount, String description) {
        Map<String, Object> body = new HashMap<>();
        body.put("fromAccountId", from);
        body.put("toAccountId", to);
        body.put("amount", amount);
        if (description != null) {
            body.put("description", description);
        }
        return body;
    }
}
