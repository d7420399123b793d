package bank.ledger;

import static bank.db.Columns.instant;
import static bank.db.Columns.money;
import static bank.db.Columns.uuid;

import bank.money.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The SQL of ledger lines. A line's currency is its account's, which every caller has already read (and locked, on
 * the write path), so no column repeats it and no query joins for it.
 */
final class TransactionDao {

    private static final String COLUMNS = "id, account_id, type, amount, balance_after, description, transfer_id, created_at";

    private TransactionDao() {
    }

    /** Writes a ledger line; every credit, debit and transfer runs it, hence fluent, as AccountDao.find is. */
    static Transaction insert(Handle tx, UUID id, UUID accountId, Currency currency, TransactionType type, Money amount,
                              Money balanceAfter, String description, UUID transferId) {
        return tx.createQuery("INSERT INTO transactions "
                        + "(id, account_id, type, amount, balance_after, description, transfer_id, created_at) "
                        + "VALUES (:id, :accountId, :type, :amount, :balanceAfter, :description, :transferId, now()) "
                        + "RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("accountId", accountId)
                .bind("type", type.name())
                .bind("amount", amount.minorUnits())
                .bind("balanceAfter", balanceAfter.minorUnits())
                .bind("description", description)
                .bindByType("transferId", transferId, UUID.class)
                .map(new Mapper(currency))
                .one();
    }

    /** Newest first: ids are time-ordered, so paging walks down the (account_id, id) index. */
    static List<Transaction> pageBefore(Handle handle, UUID accountId, Currency currency, UUID before, int limit) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM transactions WHERE account_id = :accountId "
                        + "AND id < :before ORDER BY id DESC LIMIT :limit")
                .bind("accountId", accountId)
                .bind("before", before)
                .bind("limit", limit)
                .map(new Mapper(currency))
                .list();
    }

    /** One line of one account: a line of another account is not found, whatever its id. */
    static Optional<Transaction> find(Handle handle, UUID accountId, Currency currency, UUID id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM transactions WHERE id = :id AND account_id = :accountId")
                .bind("id", id)
                .bind("accountId", accountId)
                .map(new Mapper(currency))
                .findOne();
    }

    /** Reads a ledger line by column name; see AccountDao.Mapper for why it is written out. */
    private record Mapper(Currency currency) implements RowMapper<Transaction> {
        @Override
        public Transaction map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Transaction(uuid(rs, "id"), uuid(rs, "account_id"), TransactionType.valueOf(rs.getString("type")),
                    money(rs, "amount"), currency, money(rs, "balance_after"), rs.getString("description"),
                    uuid(rs, "transfer_id"), instant(rs, "created_at"));
        }
    }
}
