package bank.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import bank.ledger.LedgerAudit;
import bank.ledger.LedgerAuditConfig;
import bank.reliability.Workload.Kind;
import bank.reliability.Workload.Outcome;
import bank.reliability.Workload.Result;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * What must hold after any fault, checked against the database itself:
 * <ul>
 *   <li>every acknowledged operation exists exactly once, as what was asked (account, amount, both lines of a
 *       transfer);</li>
 *   <li>nothing else exists: an operation no attempt of which was acknowledged left no row, and there is no row
 *       that no client asked for;</li>
 *   <li>money is conserved: the balances add up to the acknowledged credits less the acknowledged debits;</li>
 *   <li>no balance is negative;</li>
 *   <li>every balance equals its history, every transfer has its two lines, transfers net to zero (the ledger
 *       audit), and each line's running balance follows from the lines before it.</li>
 * </ul>
 */
final class LedgerChecks {

    private record Line(String type, String account, long amount, String transferId) {
    }

    private record TransferRow(String id, String from, String to, long amount) {
    }

    private LedgerChecks() {
    }

    /** Runs every check, fails with all the problems found, and records what was checked. */
    static void verify(Jdbi jdbi, Collection<Outcome> outcomes, Figures figures) {
        Map<String, List<Line>> lines = new HashMap<>();
        Map<String, List<TransferRow>> transfers = new HashMap<>();
        Map<String, Long> balances = new HashMap<>();
        jdbi.useHandle(db -> {
            db.createQuery("SELECT description, type, account_id::text AS account, amount, transfer_id::text AS transfer FROM transactions")
                    .map((rs, ctx) -> Map.entry(rs.getString("description"), new Line(rs.getString("type"),
                            rs.getString("account"), rs.getLong("amount"), rs.getString("transfer"))))
                    .forEach(e -> lines.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
            db.createQuery("SELECT id::text AS id, description, from_account_id::text AS source, to_account_id::text AS target, amount FROM transfers")
                    .map((rs, ctx) -> Map.entry(rs.getString("description"), new TransferRow(rs.getString("id"),
                            rs.getString("source"), rs.getString("target"), rs.getLong("amount"))))
                    .forEach(e -> transfers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
            db.createQuery("SELECT id::text AS id, balance FROM accounts")
                    .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getLong("balance")))
                    .forEach(e -> balances.put(e.getKey(), e.getValue()));
        });

        List<String> problems = new ArrayList<>();
        long credited = 0;
        long debited = 0;
        long transferred = 0;
        for (Outcome outcome : outcomes) {
            Workload.Operation op = outcome.operation();
            List<Line> opLines = lines.getOrDefault(op.key(), List.of());
            List<TransferRow> opTransfers = transfers.getOrDefault(op.key(), List.of());
            if (outcome.result() != Result.ACKNOWLEDGED) {
                if (!opLines.isEmpty() || !opTransfers.isEmpty()) {
                    problems.add(op + " was never acknowledged (" + outcome.result() + ") but wrote " + opLines + " " + opTransfers);
                }
                continue;
            }
            if (op.kind() == Kind.TRANSFER) {
                transferred += op.amount();
                boolean once = opTransfers.size() == 1 && opLines.size() == 2;
                TransferRow row = once ? opTransfers.get(0) : null;
                if (!once || !row.from().equals(op.account()) || !row.to().equals(op.toAccount()) || row.amount() != op.amount()
                        || !opLines.containsAll(List.of(new Line("DEBIT", op.account(), op.amount(), row.id()),
                                new Line("CREDIT", op.toAccount(), op.amount(), row.id())))) {
                    problems.add(op + " was acknowledged but exists as " + opTransfers + " " + opLines);
                }
            } else {
                if (op.kind() == Kind.CREDIT) {
                    credited += op.amount();
                } else {
                    debited += op.amount();
                }
                if (!opTransfers.isEmpty() || !opLines.equals(List.of(new Line(op.kind().name(), op.account(), op.amount(), null)))) {
                    problems.add(op + " was acknowledged but exists as " + opTransfers + " " + opLines);
                }
            }
        }
        List<String> keys = outcomes.stream().map(o -> o.operation().key()).toList();
        List<String> unasked = new ArrayList<>(lines.keySet());
        unasked.addAll(transfers.keySet());
        unasked.removeAll(keys);
        if (!unasked.isEmpty()) {
            problems.add("rows no client asked for: " + unasked);
        }
        long total = balances.values().stream().mapToLong(Long::longValue).sum();
        if (total != credited - debited) {
            problems.add("money is not conserved: the balances add up to " + total + ", the acknowledged credits less"
                    + " debits to " + (credited - debited));
        }
        balances.forEach((account, balance) -> {
            if (balance < 0) {
                problems.add("account " + account + " has a negative balance " + balance);
            }
        });
        Map<LedgerAudit.Check, Long> audit = new LedgerAudit(jdbi, new LedgerAuditConfig(), null, OpenTelemetry.noop()).check();
        audit.forEach((check, violations) -> {
            if (violations != 0) {
                problems.add("the ledger audit finds " + violations + " " + check.label() + " violations");
            }
        });
        long brokenRunningBalances = jdbi.withHandle(db -> db.createQuery("""
                SELECT count(*) FROM (
                  SELECT balance_after, sum(CASE type WHEN 'CREDIT' THEN amount ELSE -amount END)
                         OVER (PARTITION BY account_id ORDER BY id) AS running
                  FROM transactions) lines
                WHERE running <> balance_after""").mapTo(Long.class).one());
        if (brokenRunningBalances != 0) {
            problems.add(brokenRunningBalances + " ledger lines whose running balance does not follow from the lines before");
        }

        figures.put("operations checked against the database", outcomes.size())
                .put("ledger lines checked", lines.values().stream().mapToInt(List::size).sum())
                .put("money checked: balances total (minor units)", total)
                .put("money checked: acknowledged credits / debits / transfers (minor units)",
                        credited + " / " + debited + " / " + transferred)
                .put("ledger audit", audit.entrySet().stream()
                        .map(e -> e.getKey().label() + "=" + e.getValue()).toList());
        assertThat(problems).as("what the database holds against what the clients were told").isEmpty();
    }
}
