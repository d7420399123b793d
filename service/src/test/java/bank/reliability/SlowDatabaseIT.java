package bank.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import bank.reliability.Workload.Kind;
import bank.reliability.Workload.Operation;
import bank.reliability.Workload.Outcome;
import bank.reliability.Workload.Reply;
import bank.reliability.Workload.Result;
import bank.testing.ServiceProcess;
import bank.testing.TestDatabase;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A slow database: another session holds the row lock of a hot account ({@code SELECT ... FOR UPDATE} in an open
 * transaction) for longer than the service's lock timeout (3 s in config.yml, which this test runs unchanged).
 * Meanwhile {@code reliability.hotClients} clients (default 4) each send {@code reliability.lockedRequestsPerClient}
 * (default 3) keyed credits and debits to that account, one after the other, and {@code reliability.otherClients}
 * clients (default 4) keep transferring between the other accounts.
 *
 * <p>Every request on the hot account gets a 503 {@code service-unavailable} with Retry-After once the lock
 * timeout expires, and writes nothing; requests on other accounts keep succeeding; the service's JVM and Jetty
 * thread counts stay within what the same clients need without the lock. After the lock is released, a retry
 * of one of the refused requests with its key takes effect once. How long the 503s took is recorded; the only
 * time asserted is the hang detector (no answer within 30 s).
 */
class SlowDatabaseIT {

    private static final int HOT_CLIENTS = Integer.getInteger("reliability.hotClients", 4);
    private static final int OTHER_CLIENTS = Integer.getInteger("reliability.otherClients", 4);
    private static final int LOCKED_REQUESTS_PER_CLIENT = Integer.getInteger("reliability.lockedRequestsPerClient", 3);
    /**
     * Under load Jetty starts pool threads ahead of need (reserved threads, for a quick dispatch) and the JVM a few of
     * its own, so the counts grow by more than one per client even when no thread waits: 47 and 48 JVM threads, 23 and
     * 24 Jetty threads, were seen against 36 and 12 before the lock. Threads stuck on the locked account come on top.
     */
    private static final int SPARE_THREADS_PER_CLIENT = 2;
    private static final int WARM_UP_OPERATIONS_PER_CLIENT = 40;

    @Test
    void aLockedAccountAnswers503WhileTheOthersKeepWorking() throws Exception {
        Figures figures = new Figures("SlowDatabaseIT");
        try (TestDatabase database = TestDatabase.create();
             ServiceProcess service = ServiceProcess.start("slow-database", database.url(), Map.of())) {
            service.awaitHealthy();
            Workload workload = new Workload("slow", List.of(service::uri));
            List<String> accounts = workload.openAccounts(5, 1_000_000);
            String hot = accounts.get(0);
            List<String> others = accounts.subList(1, accounts.size());

            // The same number of clients on the same accounts without the lock: the threads this concurrency needs.
            ThreadSampler warmUp = ThreadSampler.start(service);
            workload.start(HOT_CLIENTS + OTHER_CLIENTS, accounts, WARM_UP_OPERATIONS_PER_CLIENT);
            workload.awaitClients();
            ServiceProcess.Threads unlocked = warmUp.stop();

            ConcurrentLinkedQueue<Reply> hotReplies = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Reply> otherReplies = new ConcurrentLinkedQueue<>();
            List<Operation> refused = new ArrayList<>();
            ServiceProcess.Threads locked;
            try (Connection holder = database.lockAccount(hot)) {
                ThreadSampler sampler = ThreadSampler.start(service);
                ExecutorService clients = Executors.newFixedThreadPool(HOT_CLIENTS + OTHER_CLIENTS);
                CountDownLatch hotDone = new CountDownLatch(HOT_CLIENTS);
                AtomicInteger sequence = new AtomicInteger();
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < HOT_CLIENTS; c++) {
                    running.add(clients.submit(() -> {
                        HttpClient http = Workload.client();
                        for (int i = 0; i < LOCKED_REQUESTS_PER_CLIENT; i++) {
                            Operation op = new Operation("slow-hot-" + sequence.incrementAndGet(),
                                    i % 2 == 0 ? Kind.CREDIT : Kind.DEBIT, hot, null, 100, false);
                            hotReplies.add(workload.attempt(http, 0, op));
                            synchronized (refused) {
                                refused.add(op);
                            }
                        }
                        hotDone.countDown();
                        return null;
                    }));
                }
                for (int c = 0; c < OTHER_CLIENTS; c++) {
                    running.add(clients.submit(() -> {
                        HttpClient http = Workload.client();
                        while (hotDone.getCount() > 0) {
                            ThreadLocalRandom random = ThreadLocalRandom.current();
                            int from = random.nextInt(others.size());
                            Operation op = new Operation("slow-other-" + sequence.incrementAndGet(), Kind.TRANSFER,
                                    others.get(from), others.get((from + 1 + random.nextInt(others.size() - 1)) % others.size()),
                                    1 + random.nextLong(5_000), false);
                            Reply reply = workload.attempt(http, 0, op);
                            otherReplies.add(reply);
                            workload.record(new Outcome(op, reply.status() == 201 ? Result.ACKNOWLEDGED
                                    : reply.status() == 422 ? Result.REFUSED : Result.ABANDONED, 1, -1));
                        }
                        return null;
                    }));
                }
                clients.shutdown();
                for (Future<?> client : running) {
                    client.get(5, TimeUnit.MINUTES);
                }
                locked = sampler.stop();
                holder.rollback();
            }

            // Released: the first refused request, retried with its key, now takes effect, and only it.
            Operation retried = refused.get(0);
            Reply afterRelease = workload.attempt(Workload.client(), 0, retried);
            for (Operation op : refused) {
                workload.record(new Outcome(op, op == retried && afterRelease.status() == 201 ? Result.ACKNOWLEDGED
                        : Result.ABANDONED, op == retried ? 2 : 1, -1));
            }

            List<Long> hotMillis = hotReplies.stream().map(r -> TimeUnit.NANOSECONDS.toMillis(r.nanos())).toList();
            List<Long> otherMillis = otherReplies.stream().map(r -> TimeUnit.NANOSECONDS.toMillis(r.nanos())).toList();
            figures.put("lock timeout (config.yml)", "3000 ms")
                    .put("clients on the locked account / on the others", HOT_CLIENTS + " / " + OTHER_CLIENTS)
                    .put("requests on the locked account", hotReplies.size())
                    .put("statuses on the locked account", hotReplies.stream().map(Reply::status).distinct().toList())
                    .putMillis("time to the answer on the locked account", hotMillis)
                    .put("requests on the other accounts meanwhile", otherReplies.size())
                    .put("statuses on the other accounts", otherReplies.stream().map(Reply::status).distinct().sorted().toList())
                    .putMillis("time to the answer on the other accounts", otherMillis)
                    .put("threads without the lock (JVM / Jetty pool, max)", unlocked.jvm() + " / " + unlocked.jetty())
                    .put("threads with the lock (JVM / Jetty pool, max)", locked.jvm() + " / " + locked.jetty())
                    .put("status of the retry after release", afterRelease.status());
            workload.recordTo(figures);

            assertThat(hotReplies).as("every request on the locked account").hasSize(HOT_CLIENTS * LOCKED_REQUESTS_PER_CLIENT)
                    .allSatisfy(reply -> {
                        assertThat(reply.status()).isEqualTo(503);
                        assertThat(reply.type()).isEqualTo("/problems/service-unavailable");
                        assertThat(reply.retryAfter()).isEqualTo("1");
                        assertThat(Duration.ofNanos(reply.nanos())).as("hang detector").isLessThan(Duration.ofSeconds(30));
                    });
            assertThat(otherReplies).as("requests on the other accounts while one is locked")
                    .isNotEmpty()
                    .allSatisfy(reply -> assertThat(reply.status()).as(reply.toString()).isIn(201, 422))
                    .anySatisfy(reply -> assertThat(reply.status()).isEqualTo(201));
            assertThat(afterRelease.status()).as("the retry after the lock is gone").isEqualTo(201);
            int threadsForClients = (HOT_CLIENTS + OTHER_CLIENTS) * (1 + SPARE_THREADS_PER_CLIENT);
            assertThat(locked.jvm()).as("JVM threads with the lock held").isLessThanOrEqualTo(unlocked.jvm() + threadsForClients);
            assertThat(locked.jetty()).as("Jetty pool threads with the lock held").isLessThanOrEqualTo(unlocked.jetty() + threadsForClients);
            LedgerChecks.verify(database.jdbi(), workload.outcomes(), figures);
        } finally {
            figures.write();
        }
    }

    /** Samples the service's thread counts every 100 ms in the background, keeping the largest. */
    private static final class ThreadSampler {
        private final Thread thread;
        private volatile boolean stopped;
        private volatile int jvm;
        private volatile int jetty;

        private ThreadSampler(ServiceProcess service) {
            thread = new Thread(() -> {
                while (!stopped) {
                    try {
                        ServiceProcess.Threads now = service.threads();
                        jvm = Math.max(jvm, now.jvm());
                        jetty = Math.max(jetty, now.jetty());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // the sampling interval
                }
            }, "thread-sampler");
        }

        static ThreadSampler start(ServiceProcess service) {
            ThreadSampler sampler = new ThreadSampler(service);
            sampler.thread.start();
            return sampler;
        }

        ServiceProcess.Threads stop() throws InterruptedException {
            stopped = true;
            thread.join();
            assertThat(jvm).as("thread count read from the admin port's metrics").isPositive();
            assertThat(jetty).as("Jetty pool size read from the admin port's metrics").isPositive();
            return new ServiceProcess.Threads(jvm, jetty);
        }
    }
}
