package bank.accounts;

import bank.db.UuidV7;
import bank.http.ApiException;
import bank.http.Page;
import bank.http.PageRequest;
import bank.http.Text;
import bank.telemetry.BankMetrics;
import java.util.Currency;
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

    /** Opens an account with a zero balance inside the caller's transaction. */
    public Account open(Handle tx, OpenAccountRequest request) {
        Currency currency = request.currencyOrDefault();
        Account account = tx.attach(AccountDao.class).insert(UuidV7.next(),
                Text.Rules.strip(request.firstName()), Text.Rules.strip(request.lastName()), request.address(), currency);
        tx.afterCommit(() -> {
            metrics.accountOpened(currency);
            LOG.info("account opened id={} currency={}", account.id(), currency.getCurrencyCode());
        });
        return account;
    }

    public Account get(UUID id) {
        return jdbi.withExtension(AccountDao.class, dao -> dao.find(id))
                .orElseThrow(() -> ApiException.notFound("account"));
    }

    public Page<Account> list(PageRequest page) {
        return Page.of(jdbi.withExtension(AccountDao.class,
                dao -> dao.pageAfter(page.after().orElse(BEFORE_ALL), page.fetchSize())), page, Account::id);
    }
}
