package bank.ledger;

import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The ledger's invariants as SQL. Each query counts what breaks one invariant, so a healthy ledger answers 0
 * three times. Run inside {@link #readOnlySnapshot()}, the three answers describe one moment.
 */
public interface LedgerAuditDao {

    /** Must be the transaction's first statement: one snapshot for every query that follows, no writes. */
    @SqlUpdate("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    void readOnlySnapshot();

    /** Limits every following statement of the transaction; the pool's connection keeps its own setting. */
    @SqlQuery("SELECT set_config('statement_timeout', :timeout, true)")
    String limitStatementsTo(String timeout);

    /** Accounts whose balance is not their credits minus their debits. */
    @SqlQuery("""
            SELECT count(*) FROM accounts a
            LEFT JOIN (SELECT account_id, sum(CASE type WHEN 'CREDIT' THEN amount ELSE -amount END) AS net
                       FROM transactions GROUP BY account_id) history ON history.account_id = a.id
            WHERE a.balance <> coalesce(history.net, 0)""")
    long balancesNotMatchingHistory();

    /**
     * Transfers without exactly two lines: one debit of the transfer's amount on its from-account and one
     * credit of the same amount on its to-account.
     */
    @SqlQuery("""
            SELECT count(*) FROM (
              SELECT tr.id FROM transfers tr LEFT JOIN transactions t ON t.transfer_id = tr.id
              GROUP BY tr.id
              HAVING count(t.id) <> 2
                  OR count(*) FILTER (WHERE t.type = 'DEBIT' AND t.account_id = tr.from_account_id
                                      AND t.amount = tr.amount) <> 1
                  OR count(*) FILTER (WHERE t.type = 'CREDIT' AND t.account_id = tr.to_account_id
                                      AND t.amount = tr.amount) <> 1
            ) broken""")
    long transfersWithoutTheirTwoLines();

    /** Currencies in which the lines written by transfers do not add up to zero: money made or lost. */
    @SqlQuery("""
            SELECT count(*) FROM (
              SELECT a.currency FROM transactions t JOIN accounts a ON a.id = t.account_id
              WHERE t.transfer_id IS NOT NULL
              GROUP BY a.currency
              HAVING sum(CASE t.type WHEN 'CREDIT' THEN t.amount ELSE -t.amount END) <> 0
            ) unbalanced""")
    long currenciesWhereTransfersDoNotNetToZero();
}
