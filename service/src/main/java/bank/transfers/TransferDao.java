package bank.transfers;

import static bank.db.Columns.currency;
import static bank.db.Columns.instant;
import static bank.db.Columns.money;
import static bank.db.Columns.uuid;

import bank.money.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Currency;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

@RegisterRowMapper(TransferDao.Mapper.class)
public interface TransferDao {

    String COLUMNS = "id, from_account_id, to_account_id, amount, currency, description, created_at";

    Mapper MAPPER = new Mapper();

    /** Fluent, as AccountDao.find is, because every transfer runs it. */
    static Transfer insert(Handle tx, UUID id, UUID fromAccountId, UUID toAccountId, Money amount, Currency currency,
                           String description) {
        return tx.createQuery("INSERT INTO transfers "
                        + "(id, from_account_id, to_account_id, amount, currency, description, created_at) "
                        + "VALUES (:id, :fromAccountId, :toAccountId, :amount, :currency, :description, now()) "
                        + "RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("fromAccountId", fromAccountId)
                .bind("toAccountId", toAccountId)
                .bind("amount", amount.minorUnits())
                .bind("currency", currency.getCurrencyCode())
                .bind("description", description)
                .map(MAPPER)
                .one();
    }

    /**
     * A transfer as the owner (see AccountService.ownerFilter; null for every transfer) may see it: when it owns the
     * account the money came from or the one it went to, since the transfer is in the history of both.
     */
    @SqlQuery("SELECT " + COLUMNS + " FROM transfers t WHERE id = :id AND (CAST(:owner AS uuid) IS NULL OR EXISTS "
            + "(SELECT a.id FROM accounts a WHERE a.id IN (t.from_account_id, t.to_account_id) AND a.client_id = :owner))")
    Optional<Transfer> find(UUID id, UUID owner);

    /** Reads a transfer by column name; see AccountDao.Mapper for why it is written out. */
    final class Mapper implements RowMapper<Transfer> {
        @Override
        public Transfer map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Transfer(uuid(rs, "id"), uuid(rs, "from_account_id"), uuid(rs, "to_account_id"),
                    money(rs, "amount"), currency(rs, "currency"), rs.getString("description"), instant(rs, "created_at"));
        }
    }
}
