package bank.ledger;

import bank.access.ApiClient;
import bank.accounts.Account;
import bank.accounts.AccountDao;
import bank.accounts.AccountService;
import bank.db.UuidV7;
import bank.http.ApiException;
import bank.http.Page;
import bank.http.PageRequest;
import bank.http.ProblemType;
import bank.money.Money;
import bank.telemetry.BankMetrics;
import bank.telemetry.BankMetrics.Outcome;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The rules of the ledger: a debit never takes a balance below zero, a credit never takes it past the largest
 * representable amount, and every change of balance is written together with the ledger line that explains it.
 */
public class LedgerService {

    private static final UUID AFTER_ALL = new UUID(-1L, -1L);

    private final Jdbi jdbi;
    private final AccountService accounts;
    private final BankMetrics metrics;

    public LedgerService(Jdbi jdbi, AccountService accounts, BankMetrics metrics) {
        this.jdbi = jdbi;
        this.accounts = accounts;
        this.metrics = metrics;
    }

    /**
     * Credits or debits one account inside the caller's transaction, holding the account's row lock. An account the
     * client may not act on is not found, and is not locked either.
     */
    public Transaction post(Handle tx, ApiClient client, UUID accountId, PostTransactionRequest request) {
        Account account = AccountDao.lock(tx, accountId, AccountService.ownerFilter(client)).orElseThrow(() -> {
            metrics.transaction(request.type().name(), Outcome.REJECTED);
            return ApiException.notFound("account");
        });
        Transaction line;
        try {
            line = record(tx, account, request.type(), request.amount(), request.description(), null);
        } catch (ApiException e) {
            metrics.transaction(request.type().name(), Outcome.of(e));
            throw e;
        }
        tx.afterCommit(() -> metrics.transaction(request.type().name(), Outcome.OK));
        return line;
    }

    /**
     * Applies one movement to an account whose row the caller has locked, and writes its ledger line.
     *
     * @throws ApiException 422 when a debit exceeds the balance or a credit would overflow it
     */
    public Transaction record(Handle tx, Account account, TransactionType type, Money amount, String description,
                              UUID transferId) {
        Money balance = switch (type) {
            case CREDIT -> credited(account, amount);
            case DEBIT -> debited(account, amount);
        };
        AccountDao.updateBalance(tx, account.id(), balance);
        return TransactionDao.insert(tx, UuidV7.next(), account.id(), account.currency(), type, amount, balance,
                description, transferId);
    }

    /** The history of an account the client may see: the same 404 as an unknown account otherwise. */
    public Page<Transaction> history(ApiClient client, UUID accountId, PageRequest page) {
        Account account = accounts.get(client, accountId);
        return Page.of(jdbi.withHandle(handle -> TransactionDao.pageBefore(handle, accountId, account.currency(),
                page.after().orElse(AFTER_ALL), page.fetchSize())), page, Transaction::id);
    }

    /** One line of an account the client may see: the same 404 as an unknown account otherwise. */
    public Transaction get(ApiClient client, UUID accountId, UUID transactionId) {
        Account account = accounts.get(client, accountId);
        return jdbi.withHandle(handle -> TransactionDao.find(handle, accountId, account.currency(), transactionId))
                .orElseThrow(() -> ApiException.notFound("transaction"));
    }

    private static Money credited(Account account, Money amount) {
        try {
            return account.balance().plus(amount);
        } catch (ArithmeticException e) {
            throw new ApiException(ProblemType.BALANCE_LIMIT,
                    "The credit would take the balance of account " + account.id() + " past the largest amount it can hold.");
        }
    }

    private static Money debited(Account account, Money amount) {
        if (account.balance().isLessThan(amount)) {
            throw new ApiException(ProblemType.INSUFFICIENT_FUNDS,
                    "The balance of account " + account.id() + " is less than the amount.");
        }
        return account.balance().minus(amount);
    }
}
