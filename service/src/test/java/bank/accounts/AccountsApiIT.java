package bank.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.BankApi;
import bank.testing.BankApi.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccountsApiIT {

    @RegisterExtension
    static final BankApi api = new BankApi();

    @Test
    void opensAnAccountWithAZeroBalance() {
        Reply reply = api.post("/v1/accounts", Map.of("firstName", "Ada", "lastName", "Lovelace",
                "address", "12 St James's Square, London", "currency", "GBP"));

        reply.expect(201);
        JsonNode account = reply.body();
        assertThat(account.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(reply.header("Location")).endsWith("/v1/accounts/" + account.get("id").asText());
        assertThat(account.get("firstName").asText()).isEqualTo("Ada");
        assertThat(account.get("lastName").asText()).isEqualTo("Lovelace");
        assertThat(account.get("address").asText()).isEqualTo("12 St James's Square, London");
        assertThat(account.get("currency").asText()).isEqualTo("GBP");
        assertThat(account.get("balance").isIntegralNumber()).isTrue();
        assertThat(account.get("balance").asLong()).isZero();
        assertThat(account.get("createdAt").asText()).endsWith("Z");
    }

    @Test
    void currencyDefaultsToUsdAndAddressIsOptional() {
        JsonNode account = api.post("/v1/accounts", Map.of("firstName", "Alan", "lastName", "Turing"))
                .expect(201).body();

        assertThat(account.get("currency").asText()).isEqualTo("USD");
        assertThat(account.get("address").isNull()).isTrue();
    }

    @Test
    void getsAnAccountByIdAsOpened() {
        Reply opened = api.post("/v1/accounts", Map.of("firstName", "Ada", "lastName", "Lovelace")).expect(201);

        Reply fetched = api.get("/v1/accounts/" + opened.text("id")).expect(200);

        assertThat(fetched.body()).isEqualTo(opened.body());
        assertThat(fetched.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void unknownOrMalformedIdsAreNotFound() {
        for (String id : List.of("01a21f29-ee76-73a3-ba00-57b9fc659254", "not-a-uuid", "1")) {
            Reply reply = api.get("/v1/accounts/" + id).expect(404);
            assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
            assertThat(reply.text("type")).isEqualTo("/problems/not-found");
            assertThat(reply.raw()).doesNotContain(id.equals("1") ? "\"1\"" : id);
        }
    }

    @Test
    void pagesThroughAllAccountsOldestFirstWithoutGapsOrRepeats() {
        List<String> opened = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            opened.add(api.openAccount("USD"));
        }

        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = api.get("/v1/accounts?limit=3" + (next == null ? "" : "&after=" + next)).expect(200).body();
            page.get("items").forEach(item -> seen.add(item.get("id").asText()));
            assertThat(page.get("items").size()).isLessThanOrEqualTo(3);
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (next != null);

        assertThat(seen).containsExactlyElementsOf(opened);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void defaultPageHoldsFiftyAndTheLastPageHasNoNext() {
        for (int i = 0; i < 51; i++) {
            api.openAccount("USD");
        }

        JsonNode first = api.get("/v1/accounts").expect(200).body();
        assertThat(first.get("items").size()).isEqualTo(50);
        assertThat(first.get("hasMore").asBoolean()).isTrue();
        JsonNode last = api.get("/v1/accounts?after=" + first.get("next").asText()).expect(200).body();
        assertThat(last.get("items").size()).isEqualTo(1);
        assertThat(last.get("next").isNull()).isTrue();
        assertThat(last.get("hasMore").isBoolean()).isTrue();
        assertThat(last.get("hasMore").asBoolean()).isFalse();
        assertThat(api.get("/v1/accounts?limit=200").expect(200).body().get("items").size()).isEqualTo(51);
    }
}
