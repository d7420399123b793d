package bank.idempotency;

import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The Idempotency-Keys seen within the retention period (24 hours by default), each with the response its first
 * request got. An expired key counts as absent even before the purge deletes it.
 *
 * <p>{@link #tryLock}, {@link #find} and {@link #save} work inside the caller's transaction; {@link IdempotentPosts}
 * says in what order and why. {@link #purgeExpired} runs on its own.
 */
public class IdempotencyKeyStore {

    private final Jdbi jdbi;
    private final long retentionSeconds;

    public IdempotencyKeyStore(Jdbi jdbi, Duration retention) {
        this.jdbi = jdbi;
        this.retentionSeconds = retention.toSeconds();
    }

    /**
     * Holds the key until {@code tx} ends, however it ends: commit, rollback, or a connection, service or
     * database that dies; PostgreSQL releases a transaction-scoped advisory lock with its transaction.
     *
     * @return false, at once, if another transaction holds the key
     */
    boolean tryLock(Handle tx, IdempotencyKey key) {
        return IdempotencyDao.tryLock(tx, key.lockId());
    }

    Optional<StoredResponse> find(Handle tx, IdempotencyKey key) {
        return IdempotencyDao.find(tx, key.scope(), key.value(), retentionSeconds);
    }

    /**
     * @return false if the key has a response already, although {@code tx} holds its lock: only a writer that
     *         skipped the lock could cause that, and the primary key refuses the second response
     */
    boolean save(Handle tx, IdempotencyKey key, StoredResponse response) {
        return IdempotencyDao.save(tx, key.scope(), key.value(), response, retentionSeconds) == 1;
    }

    /** Deletes up to {@code batch} expired keys, in a statement of its own. */
    int purgeExpired(int batch) {
        return jdbi.withExtension(IdempotencyDao.class, dao -> dao.purgeExpired(retentionSeconds, batch));
    }
}
