package bank.accounts;

import bank.money.Money;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(Account.class)
public interface AccountDao {

    String COLUMNS = "id, first_name, last_name, address, currency, balance, created_at";

    @SqlQuery("INSERT INTO accounts (id, first_name, last_name, address, currency, balance, created_at) "
            + "VALUES (:id, :firstName, :lastName, :address, :currency, 0, now()) RETURNING " + COLUMNS)
    Account insert(UUID id, String firstName, String lastName, String address, Currency currency);

    @SqlQuery("SELECT " + COLUMNS + " FROM accounts WHERE id = :id")
    Optional<Account> find(UUID id);

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
}
