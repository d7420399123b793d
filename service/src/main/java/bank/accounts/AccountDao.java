package bank.accounts;

import static bank.db.Columns.currency;
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
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The accounts table. Methods that take an {@code owner} see only the accounts of that client, or every account
 * when it is null (see {@link AccountService#ownerFilter}): a client never learns whether an account it does not own
 * exists.
 */
@RegisterRowMapper(AccountDao.Mapper.class)
public interface AccountDao {

    String COLUMNS = "id, first_name, last_name, address, currency, balance, created_at";
    String OWNED = "(CAST(:owner AS uuid) IS NULL OR client_id = :owner)";
    Mapper MAPPER = new Mapper();

    @SqlQuery("INSERT INTO accounts (id, client_id, first_name, last_name, address, currency, balance, created_at) "
            + "VALUES (:id, :owner, :firstName, :lastName, :address, :currency, 0, now()) RETURNING " + COLUMNS)
    Account insert(UUID id, UUID owner, String firstName, String lastName, String address, Currency currency);

    /**
     * The query behind every GET of an account, written with Jdbi's fluent API rather than as a SQL object method:
     * attaching a SQL object sets up every one of its methods, work that the busiest read need not pay for
     * (BENCHMARKS.md, Log). Jdbi ignores static methods of a SQL object type.
     */
    static Optional<Account> find(Handle handle, UUID id, UUID owner) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM accounts WHERE id = :id AND " + OWNED)
                .bind("id", id).bindByType("owner", owner, UUID.class).map(MAPPER).findOne();
    }

    /**
     * Locks one account for the rest of the transaction, if the owner owns it; a keyed credit or debit starts here.
     * Fluent, like {@link #find}, because every write runs it.
     */
    static Optional<Account> lock(Handle tx, UUID id, UUID owner) {
        return tx.createQuery("SELECT " + COLUMNS + " FROM accounts WHERE id = :id AND " + OWNED + " FOR UPDATE")
                .bind("id", id).bindByType("owner", owner, UUID.class).map(MAPPER).findOne();
    }

    /**
     * Locks the two accounts of a transfer, always in id order: two transfers over the same pair, in either
     * direction, then queue on the same first row instead of deadlocking. The source is locked only if the owner
     * owns it, the destination whoever owns it, since money may go to any account.
     */
    static List<Account> lockForTransfer(Handle tx, UUID from, UUID to, UUID owner) {
        return tx.createQuery("SELECT " + COLUMNS + " FROM accounts WHERE id IN (:from, :to) AND (id = :to OR " + OWNED
                        + ") ORDER BY id FOR UPDATE")
                .bind("from", from).bind("to", to).bindByType("owner", owner, UUID.class).map(MAPPER).list();
    }

    /** Sets the balance of an account the caller has locked; every write runs it, hence fluent. */
    static void updateBalance(Handle tx, UUID id, Money balance) {
        tx.createUpdate("UPDATE accounts SET balance = :balance WHERE id = :id")
                .bind("balance", balance.minorUnits()).bind("id", id).execute();
    }

    @SqlQuery("SELECT " + COLUMNS + " FROM accounts WHERE id > :after ORDER BY id LIMIT :limit")
    List<Account> pageAfter(UUID after, int limit);

    /** One client's accounts, along the (client_id, id) index. */
    @SqlQuery("SELECT " + COLUMNS + " FROM accounts WHERE client_id = :owner AND id > :after ORDER BY id LIMIT :limit")
    List<Account> pageOwnedAfter(UUID owner, UUID after, int limit);

    /**
     * Reads an account by column name. Written out rather than a ConstructorMapper, which matches the columns to the
     * record's parameters again for every result set (BENCHMARKS.md, Log).
     */
    final class Mapper implements RowMapper<Account> {
        @Override
        public Account map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Account(uuid(rs, "id"), rs.getString("first_name"), rs.getString("last_name"),
                    rs.getString("address"), currency(rs, "currency"), money(rs, "balance"), instant(rs, "created_at"));
        }
    }
}
