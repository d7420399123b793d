package bank.accounts;

import bank.access.ApiClient;
import bank.db.UuidV7;
import bank.http.ApiException;
import bank.http.Page;
import bank.http.PageRequest;
import bank.http.Text;
import bank.telemetry.BankMetrics;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class AccountService {

    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);
    private static final UUID BEFORE_ALL = new UUID(0, 0);

    private final Jdbi jdbi;
    private final BankMetrics metrics;

    public AccountService(Jdbi jdbi, BankMetrics metrics) {
        this.jdbi = jdbi;
        this.metrics = metrics;
    }

    /**
     * Which accounts a client sees and acts on: the accounts it opened, or, with the administrator scope, every
     * account. The result is the {@code owner} that {@link AccountDao}'s queries filter on, null for every account.
     * To any other client an account is not there at all: the same 404 as an id that was never used.
     */
    public static UUID ownerFilter(ApiClient client) {
        return client.isAdministrator() ? null : client.id();
    }

    /** Opens an account with a zero balance inside the caller's transaction, owned by the client that opens it. */
    public Account open(Handle tx, ApiClient client, OpenAccountRequest request) {
        Currency currency = request.currencyOrDefault();
        Account account = tx.attach(AccountDao.class).insert(UuidV7.next(), client.id(),
                Text.Rules.strip(request.firstName()), Text.Rules.strip(request.lastName()), request.address(), currency);
        tx.afterCommit(() -> {
            metrics.accountOpened(currency);
            LOG.info("account opened id={} currency={}", account.id(), currency.getCurrencyCode());
        });
        return account;
    }

    public Account get(ApiClient client, UUID id) {
        return jdbi.withHandle(handle -> AccountDao.find(handle, id, ownerFilter(client)))
                .orElseThrow(() -> ApiException.notFound("account"));
    }

    /** The client's accounts, or every account for an administrator, oldest first. */
    public Page<Account> list(ApiClient client, PageRequest page) {
        UUID after = page.after().orElse(BEFORE_ALL);
        UUID owner = ownerFilter(client);
        List<Account> rows = jdbi.withExtension(AccountDao.class, dao -> owner == null
                ? dao.pageAfter(after, page.fetchSize()) : dao.pageOwnedAfter(owner, after, page.fetchSize()));
        return Page.of(rows, page, Account::id);
    }
}
