package bank.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records when each key was last used, in the background and at most once a minute per key: this instance tries
 * once a minute per key, and the statement writes only where no instance has written in the last minute
 * ({@link ApiClientDao#recordUse}). A request never waits for it, and a failed write is only logged: the last use is
 * for people deciding whether an old key can go, not for anything a request relies on.
 */
final class KeyUse {

    static final Duration EVERY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(KeyUse.class);

    private final ApiClients clients;
    private final Executor writer;
    private final Cache<String, Boolean> recentlyRecorded;

    KeyUse(ApiClients clients, Executor writer, int maximumKeys) {
        this.clients = clients;
        this.writer = writer;
        this.recentlyRecorded = Caffeine.newBuilder().expireAfterWrite(EVERY).maximumSize(maximumKeys).build();
    }

    void used(ApiKey key) {
        if (recentlyRecorded.asMap().putIfAbsent(key.hash(), Boolean.TRUE) != null) {
            return;
        }
        try {
            writer.execute(() -> {
                try {
                    clients.recordUse(key.hash());
                } catch (RuntimeException e) {
                    LOG.warn("could not record the last use of the key {}... ({})", key.shown(), e.getClass().getSimpleName());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException busy) {
            recentlyRecorded.invalidate(key.hash());
        }
    }
}
