package bank.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import bank.client.api.AccountsApi;
import bank.client.api.TransactionsApi;
import bank.client.api.TransfersApi;
import bank.client.model.Account;
import bank.client.model.OpenAccountRequest;
import bank.client.model.PageAccount;
import bank.client.model.PageTransaction;
import bank.client.model.PostTransactionRequest;
import bank.client.model.Problem;
import bank.client.model.Transaction;
import bank.client.model.Transfer;
import bank.client.model.TransferRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java client that openapi-generator makes from the committed {@code docs/openapi.yaml}, used as an integrator
 * would use it, against the packaged service and PostgreSQL: every operation of the document, its answers decoded
 * into the generated models, and refusals decoded into the generated {@link Problem}. The last test checks that
 * nothing of the document was left out: an operation added to it fails the suite until a test here calls it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratedClientIT {

    @RegisterExtension
    static final RunningService service = new RunningService("accounts:read", "accounts:write", "transactions:read",
            "transactions:write", "transfers:write");

    private static final Operations operations = new Operations();
    private static ApiClient client;
    private static AccountsApi accounts;
    private static TransactionsApi transactions;
    private static TransfersApi transfers;

    @BeforeAll
    static void connect() {
        client = new ApiClient();
        client.updateBaseUri(service.baseUri().toString());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + service.key()))
                .setResponseInterceptor(operations);
        accounts = new AccountsApi(client);
        transactions = new TransactionsApi(client);
        transfers = new TransfersApi(client);
    }

    @Test
    @Order(1)
    void opensAnAccountGetsItAndPagesThroughTheList() throws ApiException {
        ApiResponse<Account> opened = accounts.openAccountWithHttpInfo(new OpenAccountRequest().firstName("Ada")
                .lastName("Lovelace").address("12 St James Square, London")
                .currency(OpenAccountRequest.CurrencyEnum.EUR), UUID.randomUUID().toString());
        Account second = open("Grace");

        assertThat(opened.getStatusCode()).isEqualTo(201);
        Account ada = opened.getData();
        assertThat(opened.getHeaders().get("Location")).containsExactly(service.baseUri() + "/v1/accounts/" + ada.getId());
        assertThat(ada.getBalance()).isZero();
        assertThat(ada.getCurrency()).isEqualTo(Account.CurrencyEnum.EUR);
        assertThat(accounts.getAccount(ada.getId())).isEqualTo(ada);

        PageAccount first = accounts.listAccounts(1L, null);
        assertThat(first.getItems()).containsExactly(ada);
        assertThat(first.getHasMore()).isTrue();
        PageAccount last = accounts.listAccounts(1L, UUID.fromString(first.getNext()));
        assertThat(last.getItems()).containsExactly(second);
        assertThat(last.getHasMore()).isFalse();
        assertThat(last.getNext()).isNull();
    }

    @Test
    @Order(2)
    void postsTransactionsReplaysOneAndReadsTheHistoryAlsoOnTheDeprecatedPath() throws ApiException {
        Account account = open("Alan");
        String key = UUID.randomUUID().toString();
        PostTransactionRequest salary = new PostTransactionRequest().type(PostTransactionRequest.TypeEnum.CREDIT)
                .amount(10_000L).description("salary");

        ApiResponse<Transaction> credited = transactions.postTransactionWithHttpInfo(account.getId(), key, salary);
        ApiResponse<Transaction> replayed = transactions.postTransactionWithHttpInfo(account.getId(), key, salary);
        Transaction debit = transactions.postTransaction(account.getId(), UUID.randomUUID().toString(),
                new PostTransactionRequest().type(PostTransactionRequest.TypeEnum.DEBIT).amount(2_550L));

        assertThat(credited.getStatusCode()).isEqualTo(201);
        assertThat(credited.getData().getBalanceAfter()).isEqualTo(10_000L);
        assertThat(credited.getData().getCurrency()).isEqualTo(Transaction.CurrencyEnum.EUR);
        assertThat(replayed.getHeaders().get("Idempotent-Replayed")).containsExactly("true");
        assertThat(replayed.getData()).isEqualTo(credited.getData());
        assertThat(debit.getBalanceAfter()).isEqualTo(7_450L);
        assertThat(transactions.getTransaction(account.getId(), debit.getId())).isEqualTo(debit);

        PageTransaction history = transactions.listTransactions(account.getId(), null, null);
        assertThat(history.getItems()).containsExactly(debit, credited.getData());
        assertThat(history.getHasMore()).isFalse();
        ApiResponse<PageTransaction> older = transactions.listTransactionsDeprecatedWithHttpInfo(account.getId(), null,
                null);
        assertThat(older.getData()).isEqualTo(history);
        assertThat(older.getHeaders()).containsKeys("Deprecation", "Sunset", "Link");
        assertThat(accounts.getAccount(account.getId()).getBalance()).isEqualTo(7_450L);
    }

    @Test
    @Order(3)
    void transfersAndReadsTheTransfer() throws ApiException {
        Account from = open("Edsger");
        Account to = open("Barbara");
        transactions.postTransaction(from.getId(), UUID.randomUUID().toString(),
                new PostTransactionRequest().type(PostTransactionRequest.TypeEnum.CREDIT).amount(5_000L));

        ApiResponse<Transfer> sent = transfers.transferWithHttpInfo(UUID.randomUUID().toString(),
                new TransferRequest().fromAccountId(from.getId()).toAccountId(to.getId()).amount(1_500L)
                        .description("rent share"));

        assertThat(sent.getStatusCode()).isEqualTo(201);
        Transfer transfer = sent.getData();
        assertThat(sent.getHeaders().get("Location"))
                .containsExactly(service.baseUri() + "/v1/transfers/" + transfer.getId());
        assertThat(transfers.getTransfer(transfer.getId())).isEqualTo(transfer);
        assertThat(transfer.getCurrency()).isEqualTo(Transfer.CurrencyEnum.EUR);
        assertThat(accounts.getAccount(to.getId()).getBalance()).isEqualTo(1_500L);
        assertThat(transactions.listTransactions(to.getId(), 1L, null).getItems().get(0).getTransferId())
                .isEqualTo(transfer.getId());
    }

    @Test
    @Order(4)
    void aRefusalDecodesIntoTheGeneratedProblemWhoseTypeResolvesToItsPage() throws Exception {
        Account poor = open("Kurt");
        Account other = open("Emmy");

        ApiException refused = catchThrowableOfType(ApiException.class, () -> transfers.transfer(
                UUID.randomUUID().toString(),
                new TransferRequest().fromAccountId(poor.getId()).toAccountId(other.getId()).amount(1L)));

        assertThat(refused.getCode()).isEqualTo(422);
        assertThat(refused.getResponseHeaders().firstValue("Content-Type")).contains("application/problem+json");
        Problem problem = client.getObjectMapper().readValue(refused.getResponseBody(), Problem.class);
        assertThat(problem.getType()).isEqualTo("/problems/insufficient-funds");
        assertThat(problem.getTitle()).isEqualTo("Insufficient funds");
        assertThat(problem.getStatus()).isEqualTo(422);
        assertThat(problem.getRequestId()).isEqualTo(refused.getResponseHeaders().firstValue("Request-Id").orElseThrow());
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                service.baseUri().resolve("/v1/transfers").resolve(URI.create(problem.getType()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Insufficient funds</h1>");
    }

    @Test
    @Order(5)
    void invalidFieldsDecodeIntoTheProblemsErrors() throws IOException {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> accounts.openAccount(
                new OpenAccountRequest().firstName(" ").lastName("Hopper"), null));

        assertThat(refused.getCode()).isEqualTo(422);
        Problem problem = client.getObjectMapper().readValue(refused.getResponseBody(), Problem.class);
        assertThat(problem.getType()).isEqualTo("/problems/validation-failed");
        assertThat(problem.getErrors()).extracting(error -> error.getField()).containsExactly("firstName");
    }

    @Test
    @Order(6)
    void anUnknownIdIsANotFoundProblem() throws IOException {
        ApiException missing = catchThrowableOfType(ApiException.class, () -> accounts.getAccount(UUID.randomUUID()));

        assertThat(missing.getCode()).isEqualTo(404);
        assertThat(client.getObjectMapper().readValue(missing.getResponseBody(), Problem.class).getType())
                .isEqualTo("/problems/not-found");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyOperationOfTheDocumentWasCalled() {
        assertThat(operations.documented()).as("operationIds of docs/openapi.yaml").hasSizeGreaterThanOrEqualTo(9);
        assertThat(operations.called()).as("operations the generated client called; add a test for each missing one")
                .containsExactlyInAnyOrderElementsOf(operations.documented());
    }

    private static Account open(String firstName) throws ApiException {
        return accounts.openAccount(new OpenAccountRequest().firstName(firstName).lastName("Tester")
                .currency(OpenAccountRequest.CurrencyEnum.EUR), null);
    }
}
