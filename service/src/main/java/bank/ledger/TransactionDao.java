package bank.ledger;

import static bank.db.Columns.instant;
import static bank.db.Columns.money;
import static bank.db.Columns.uuid;

import bank.money.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

@RegisterRowMapper(TransactionDao.Mapper.class)
public interface TransactionDao {

    String COLUMNS = "id, account_id, type, amount, balance_after, description, transfer_id, created_at";

    Mapper MAPPER = new Mapper();

    /** Writes a ledger line; every credit, debit and transfer runs it, hence fluent, as AccountDao.find is. */
    static Transaction insert(Handle tx, UUID id, UUID accountId, TransactionType type, Money amount,
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
                .map(MAPPER)
                .one();
    }

    /** Newest first: ids are time-ordered, so paging walks down the (account_id, id) index. */
    @SqlQuery("SELECT " + COLUMNS + " FROM transactions WHERE account_id = :accountId AND id < :before "
            + "ORDER BY id DESC LIMIT :limit")
    List<Transaction> pageBefore(UUID accountId, UUID before, int limit);

    /** Reads a ledger line by column name; see AccountDao.Mapper for why it is written out. */
    final class Mapper implements RowMapper<Transaction> {
        @Override
        public Transaction map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Transaction(uuid(rs, "id"), uuid(rs, "account_id"), TransactionType.valueOf(rs.getString("type")),
                    money(rs, "amount"), money(rs, "balance_after"), rs.getString("description"), uuid(rs, "transfer_id"),
                    instant(rs, "created_at"));
        }
    }
}
