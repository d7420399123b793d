package bank.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TransactionsApiIT {

    @RegisterExtension
    static final BankApi api = new BankApi();

    @Test
    void creditAndDebitMoveTheBalanceAndRecordTheRunningBalance() {
        String account = api.openAccount("USD");

        JsonNode credit = api.postKeyed(path(account), Map.of("type", "CREDIT", "amount", 10_000, "description", "salary"))
                .expect(201).body();
        JsonNode debit = api.postKeyed(path(account), Map.of("type", "DEBIT", "amount", 2_550)).expect(201).body();

        assertThat(credit.get("accountId").asText()).isEqualTo(account);
        assertThat(credit.get("type").asText()).isEqualTo("CREDIT");
        assertThat(credit.get("amount").asLong()).isEqualTo(10_000);
        assertThat(credit.get("balanceAfter").asLong()).isEqualTo(10_000);
        assertThat(credit.get("description").asText()).isEqualTo("salary");
        assertThat(debit.get("balanceAfter").asLong()).isEqualTo(7_450);
        assertThat(debit.get("description").isNull()).isTrue();
        assertThat(api.balance(account)).isEqualTo(7_450);
    }

    @Test
    void aDebitBeyondTheBalanceIsRefusedAndWritesNothing() {
        String account = api.openAccount("USD");
        api.credit(account, 1_000);

        Reply refused = api.postKeyed(path(account), Map.of("type", "DEBIT", "amount", 1_001)).expect(422);

        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.text("type")).isEqualTo("/problems/insufficient-funds");
        assertThat(refused.text("title")).isEqualTo("Insufficient funds");
        assertThat(api.balance(account)).isEqualTo(1_000);
        assertThat(api.database().queryLong("SELECT count(*) FROM transactions")).isEqualTo(1);
    }

    @Test
    void debitingTheWholeBalanceLeavesZero() {
        String account = api.openAccount("USD");
        api.credit(account, 500);

        api.postKeyed(path(account), Map.of("type", "DEBIT", "amount", 500)).expect(201);

        assertThat(api.balance(account)).isZero();
    }

    @Test
    void aCreditThatWouldOverflowTheBalanceIsRefused() {
        String account = api.openAccount("USD");
        api.credit(account, Long.MAX_VALUE);

        Reply refused = api.postKeyed(path(account), Map.of("type", "CREDIT", "amount", 1)).expect(422);

        assertThat(refused.text("type")).isEqualTo("/problems/balance-limit");
        assertThat(api.balance(account)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void postingToAnUnknownAccountIsNotFound() {
        api.postKeyed(path("01a21f29-ee76-73a3-ba00-57b9fc659254"), Map.of("type", "CREDIT", "amount", 1))
                .expectProblem(404, "/problems/not-found");
        api.get(path("01a21f29-ee76-73a3-ba00-57b9fc659254")).expectProblem(404, "/problems/not-found");
        api.postKeyed(path("nope"), Map.of("type", "CREDIT", "amount", 1)).expectProblem(404, "/problems/not-found");
    }

    @Test
    void historyIsNewestFirstAndPagesWithoutGaps() {
        String account = api.openAccount("USD");
        List<String> posted = new ArrayList<>();
        for (int amount = 1; amount <= 5; amount++) {
            posted.add(0, api.postKeyed(path(account), Map.of("type", "CREDIT", "amount", amount)).expect(201).text("id"));
        }

        JsonNode first = api.get(path(account) + "?limit=2").expect(200).body();
        JsonNode second = api.get(path(account) + "?limit=2&after=" + first.get("next").asText()).expect(200).body();
        JsonNode third = api.get(path(account) + "?limit=2&after=" + second.get("next").asText()).expect(200).body();

        List<String> seen = new ArrayList<>();
        for (JsonNode page : List.of(first, second, third)) {
            page.get("items").forEach(item -> seen.add(item.get("id").asText()));
        }
        assertThat(seen).containsExactlyElementsOf(posted);
        assertThat(third.get("next").isNull()).isTrue();
        assertThat(List.of(first.get("hasMore").asBoolean(), second.get("hasMore").asBoolean(),
                third.get("hasMore").asBoolean())).containsExactly(true, true, false);
        assertThat(first.get("items").get(0).get("amount").asLong()).isEqualTo(5);
    }

    @Test
    void historyOnlyShowsTheAccountsOwnLines() {
        String mine = api.openAccount("USD");
        String other = api.openAccount("USD");
        api.credit(mine, 10);
        api.credit(other, 20);

        JsonNode items = api.get(path(mine)).expect(200).body().get("items");

        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("accountId").asText()).isEqualTo(mine);
    }

    @Test
    void aPostedTransactionLivesAtItsLocationInTheCurrencyOfItsAccount() {
        String account = api.openAccount("JPY");

        Reply credit = api.postKeyed(path(account), Map.of("type", "CREDIT", "amount", 500)).expect(201);
        Reply debit = api.postKeyed(path(account), Map.of("type", "DEBIT", "amount", 200)).expect(201);

        for (Reply posted : List.of(credit, debit)) {
            String location = posted.header("Location");
            assertThat(location).endsWith(path(account) + "/" + posted.text("id"));
            JsonNode fetched = api.get(location.substring(location.indexOf("/v1/"))).expect(200).body();
            assertThat(fetched).isEqualTo(posted.body());
            assertThat(fetched.get("currency").asText()).isEqualTo("JPY");
        }
        JsonNode history = api.get(path(account)).expect(200).body().get("items");
        assertThat(history).allSatisfy(line -> assertThat(line.get("currency").asText()).isEqualTo("JPY"));
    }

    @Test
    void aTransactionIsFoundOnlyUnderItsOwnAccountAndByItsOwnClient() {
        String mine = api.openAccount("USD");
        String other = api.openAccount("USD");
        String line = api.postKeyed(path(mine), Map.of("type", "CREDIT", "amount", 10)).expect(201).text("id");
        BankApi stranger = api.as(api.newClient("stranger", BankApi.OPERATION_SCOPES));

        Reply elsewhere = api.get(path(other) + "/" + line).expectProblem(404, "/problems/not-found");
        Reply strangers = stranger.get(path(mine) + "/" + line).expectProblem(404, "/problems/not-found");
        Reply unknown = api.get(path(mine) + "/01a21f29-ee76-73a3-ba00-57b9fc659254").expectProblem(404, "/problems/not-found");

        assertThat(elsewhere.text("detail")).isEqualTo(unknown.text("detail"));
        // Another client's account answers as an unknown account does, so its existence does not show.
        assertThat(strangers.text("detail")).isEqualTo(api.get("/v1/accounts/01a21f29-ee76-73a3-ba00-57b9fc659254"
                + "/transactions").text("detail"));
        api.get(path(mine) + "/not-a-uuid").expectProblem(404, "/problems/not-found");
    }

    private static String path(String account) {
        return "/v1/accounts/" + account + "/transactions";
    }
}
