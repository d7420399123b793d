package bank.db;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The unit of work of a request that writes: one database transaction that begins when {@link #run} is called
 * and ends before it returns. It commits once if the work returns and rolls back entirely if the work throws;
 * either way the connection goes back to the pool. Resources call it, so that a request's transaction is seen
 * where the request is handled.
 *
 * <p>Transactions run at READ COMMITTED (config.yml sets it on every pooled connection): each statement sees
 * everything committed before it started. Writers lock the rows they change explicitly (see TransferService),
 * and the idempotency lock relies on a lookup after the lock seeing the previous holder's commit.
 */
public final class UnitOfWork {

    /** What runs inside the transaction; {@code tx} is valid only until it returns. */
    @FunctionalInterface
    public interface Work<T> {
        T in(Handle tx);
    }

    private final Jdbi jdbi;

    public UnitOfWork(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public <T> T run(Work<T> work) {
        return jdbi.inTransaction(work::in);
    }
}
