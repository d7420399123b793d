package bank.accounts;

import static bank.db.Columns.currency;
import static bank.db.Columns.instant;
import static bank.db.Columns.money;
import static bank.db.Columns.uuid;

import bank.money.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(AccountDao.Mapper.class)
public interface AccountDao {

    String COLUMNS = "id, first_name, last_name, address, currency, balance, created_at";
    Mapper MAPPER = new Mapper();

    @SqlQuery("INSERT INTO accounts (id, first_name, last_name, address, currency, balance, created_at) "
            + "VALUES (:id, :firstName, :lastName, :address, :currency, 0, now()) RETURNING " + COLUMNS)
    Account insert(UUID id, String firstName, String lastName, String address, Currency currency);

    /**
     * The query behind every GET of an account, written with Jdbi's fluent API rather than as a SQL object method:
     * attaching a SQL object builds a handler for each of its methods, which cost twice the query itself
     * (BENCHMARKS.md, Log). Jdbi ignores static methods of a SQL object type.
     */
    static Optional<Account> find(Handle handle, UUID id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM accounts WHERE id = :id").bind("id", id)
                .map(MAPPER).findOne();
    }

    /**
     * Locks the given accounts for the rest of the transaction, always in id order: two transfers over the same
     * pair, in either direction, then queue on the same first row instead of deadlocking.
     */
    @SqlQuery("SELECT " + COLUMNS + " FROM accounts WHERE id IN (<ids>) ORDER BY id FOR UPDATE")
    List<Account> lockInIdOrder(@BindList("ids") Collection<UUID> ids);

    @SqlUpdate("UPDATE accounts SET balance = :balance WHERE id = :id")
    void updateBalance(UUID id, Money balance);

    @SqlQuery("SELECT " + COLUMNS + " FROM accounts WHERE id > :after ORDER BY id LIMIT :limit")
    List<Account> pageAfter(UUID after, int limit);

    /**
     * Reads an account by column name. Written out rather than a ConstructorMapper, which matches the columns to the
     * record's parameters again for every result set, at more than the cost of the query (BENCHMARKS.md, Log).
     */
    final class Mapper implements RowMapper<Account> {
        @Override
        public Account map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Account(uuid(rs, "id"), rs.getString("first_name"), rs.getString("last_name"),
                    rs.getString("address"), currency(rs, "currency"), money(rs, "balance"), instant(rs, "created_at"));
        }
    }
}
