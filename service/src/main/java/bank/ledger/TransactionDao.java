package bank.ledger;

import bank.money.Money;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

@RegisterConstructorMapper(Transaction.class)
public interface TransactionDao {

    String COLUMNS = "id, account_id, type, amount, balance_after, description, transfer_id, created_at";

    @SqlQuery("INSERT INTO transactions (id, account_id, type, amount, balance_after, description, transfer_id, created_at) "
            + "VALUES (:id, :accountId, :type, :amount, :balanceAfter, :description, :transferId, now()) RETURNING " + COLUMNS)
    Transaction insert(UUID id, UUID accountId, TransactionType type, Money amount, Money balanceAfter,
                       String description, UUID transferId);

    /** Newest first: ids are time-ordered, so paging walks down the (account_id, id) index. */
    @SqlQuery("SELECT " + COLUMNS + " FROM transactions WHERE account_id = :accountId AND id < :before "
            + "ORDER BY id DESC LIMIT :limit")
    List<Transaction> pageBefore(UUID accountId, UUID before, int limit);
}
