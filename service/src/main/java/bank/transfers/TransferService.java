package bank.transfers;

import bank.access.ApiClient;
import bank.accounts.Account;
import bank.accounts.AccountDao;
import bank.accounts.AccountService;
import bank.db.UuidV7;
import bank.http.ApiException;
import bank.http.ProblemType;
import bank.ledger.LedgerService;
import bank.ledger.TransactionType;
import bank.telemetry.BankMetrics;
import bank.telemetry.BankMetrics.Outcome;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Moves money between two accounts.
 *
 * <p>Concurrency: the transaction runs at READ COMMITTED and locks both account rows with
 * {@code SELECT ... ORDER BY id FOR UPDATE} before reading their balances. Every writer takes its locks in that
 * same global order, so A→B and B→A queue behind each other instead of deadlocking, and a balance is never
 * read, decided on and written by two transactions at once. Each transfer touches two rows known in advance,
 * which makes explicit locking cheap; SERIALIZABLE would reach the same result by aborting and retrying the
 * losers, which costs more on exactly the hot accounts where contention happens.
 */
public class TransferService {

    private final Jdbi jdbi;
    private final LedgerService ledger;
    private final BankMetrics metrics;

    public TransferService(Jdbi jdbi, LedgerService ledger, BankMetrics metrics) {
        this.jdbi = jdbi;
        this.ledger = ledger;
        this.metrics = metrics;
    }

    public Transfer transfer(Handle tx, ApiClient client, TransferRequest request) {
        try {
            Transfer transfer = move(tx, client, request);
            tx.afterCommit(() -> metrics.transferCompleted(transfer.amount(), transfer.currency()));
            return transfer;
        } catch (ApiException e) {
            metrics.transfer(Outcome.of(e));
            throw e;
        }
    }

    public Transfer get(ApiClient client, UUID id) {
        return jdbi.withExtension(TransferDao.class, dao -> dao.find(id, AccountService.ownerFilter(client)))
                .orElseThrow(() -> ApiException.notFound("transfer"));
    }

    /**
     * The money must come from an account the client may act on; it may go to any account of the same currency.
     * A source account the client may not act on is refused as if it did not exist, and is not locked.
     */
    private Transfer move(Handle tx, ApiClient client, TransferRequest request) {
        if (request.fromAccountId().equals(request.toAccountId())) {
            throw new ApiException(ProblemType.SAME_ACCOUNT, "A transfer needs two different accounts.");
        }
        Map<UUID, Account> locked = AccountDao.lockForTransfer(tx, request.fromAccountId(), request.toAccountId(),
                        AccountService.ownerFilter(client))
                .stream().collect(Collectors.toMap(Account::id, Function.identity()));
        Account from = found(locked, request.fromAccountId());
        Account to = found(locked, request.toAccountId());
        if (!from.currency().equals(to.currency())) {
            throw new ApiException(ProblemType.CURRENCY_MISMATCH, "Account " + from.id() + " holds "
                    + from.currency() + " and account " + to.id() + " holds " + to.currency() + ".");
        }
        Transfer transfer = TransferDao.insert(tx, UuidV7.next(), from.id(), to.id(), request.amount(), from.currency(),
                request.description());
        ledger.record(tx, from, TransactionType.DEBIT, request.amount(), request.description(), transfer.id());
        ledger.record(tx, to, TransactionType.CREDIT, request.amount(), request.description(), transfer.id());
        return transfer;
    }

    private static Account found(Map<UUID, Account> locked, UUID id) {
        Account account = locked.get(id);
        if (account == null) {
            throw new ApiException(ProblemType.NOT_FOUND, "Account " + id + " does not exist.");
        }
        return account;
    }
}
