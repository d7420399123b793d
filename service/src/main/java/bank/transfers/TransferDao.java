package bank.transfers;

import bank.money.Money;
import java.util.Currency;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

@RegisterConstructorMapper(Transfer.class)
public interface TransferDao {

    String COLUMNS = "id, from_account_id, to_account_id, amount, currency, description, created_at";

    @SqlQuery("INSERT INTO transfers (id, from_account_id, to_account_id, amount, currency, description, created_at) "
            + "VALUES (:id, :fromAccountId, :toAccountId, :amount, :currency, :description, now()) RETURNING " + COLUMNS)
    Transfer insert(UUID id, UUID fromAccountId, UUID toAccountId, Money amount, Currency currency, String description);

    @SqlQuery("SELECT " + COLUMNS + " FROM transfers WHERE id = :id")
    Optional<Transfer> find(UUID id);
}
