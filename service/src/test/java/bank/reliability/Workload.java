package bank.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import bank.testing.ServiceProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Clients that move money over HTTP the way a careful client must: every credit, debit and transfer carries an
 * {@code Idempotency-Key} of its own, and a 503, a 409 {@code request-in-progress} or a connection failure is
 * retried with the same key and body until the service gives a definite answer (2xx, or a 422 refusal) or the
 * operation's deadline passes. The deadline counts the time the service answers without deciding (503, 409):
 * while it cannot be reached at all (killed, restarting), the clock starts again, so a slow JVM start is not
 * mistaken for a request the service never settles. Every operation and attempt is recorded, so a test can check
 * afterwards what the database holds against what the clients were told.
 *
 * <p>The mix is {@code LedgerConcurrencyIT}'s: 60% transfers (40% of them between the two hot accounts, in
 * either direction), 20% credits, 20% debits, amounts from 1 to 5 000. Each operation's description is its
 * key, so its rows can be found.
 */
final class Workload {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** How long a test waits for the clients to make progress before it calls them stuck. */
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    enum Kind { CREDIT, DEBIT, TRANSFER }

    /** How an operation ended for its client. */
    enum Result { ACKNOWLEDGED, REFUSED, ABANDONED }

    record Operation(String key, Kind kind, String account, String toAccount, long amount, boolean raced) {

        String path() {
            return kind == Kind.TRANSFER ? "/v1/transfers" : "/v1/accounts/" + account + "/transactions";
        }

        String body() {
            Map<String, Object> body = kind == Kind.TRANSFER
                    ? Map.of("fromAccountId", account, "toAccountId", toAccount, "amount", amount, "description", key)
                    : Map.of("type", kind.name(), "amount", amount, "description", key);
            try {
                return JSON.writeValueAsString(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    record Outcome(Operation operation, Result result, int attempts, int client) {
    }

    /** One answer: its status (-1 for none), problem type, created id, Retry-After, and how long it took. */
    record Reply(int status, String type, String id, String retryAfter, long nanos) {
    }

    private final String name;
    private final List<Function<String, URI>> targets;
    private final Duration retryDelay = Duration.ofMillis(Long.getLong("reliability.retryDelayMillis", 100));
    private final Duration operationDeadline = Duration.ofSeconds(Long.getLong("reliability.operationDeadlineSeconds", 30));
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    /** {nanoTime, client} of every acknowledgement. */
    private final ConcurrentLinkedQueue<long[]> acknowledgements = new ConcurrentLinkedQueue<>();
    /** nanoTime at which each attempt that got no answer (connection refused or cut) was sent. */
    private final ConcurrentLinkedQueue<Long> unanswered = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong inProgress = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong racedAttempts = new AtomicLong();
    private final List<Thread> clients = new ArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();
    private volatile boolean stopping;
    private volatile double raceShare;

    /** @param targets base URIs of the service instances; client {@code i} talks to {@code targets[i % n]} */
    Workload(String name, List<Function<String, URI>> targets) {
        this.name = name;
        this.targets = List.copyOf(targets);
    }

    /**
     * Sends that share of operations, on their first attempt, to two instances at once with the same key, as a
     * client retrying through a load balancer before its first try answered would.
     */
    Workload racing(double share) {
        this.raceShare = share;
        return this;
    }

    /** Opens accounts and credits each with {@code opening}, through the first instance; all must succeed. */
    List<String> openAccounts(int count, long opening) {
        HttpClient http = client();
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Reply opened = send(http, targets.get(0).apply("/v1/accounts"), name + "-open-" + i,
                    "{\"firstName\":\"Load\",\"lastName\":\"Test\",\"currency\":\"USD\"}");
            if (opened.status() != 201) {
                throw new AssertionError("could not open an account: " + opened);
            }
            Outcome funded = execute(http, 0, new Operation(name + "-fund-" + i, Kind.CREDIT, opened.id(), null, opening, false));
            if (funded.result() != Result.ACKNOWLEDGED) {
                throw new AssertionError("could not fund an account: " + funded);
            }
            accounts.add(opened.id());
        }
        return accounts;
    }

    /**
     * Starts {@code count} clients on {@code accounts}. Each sends {@code operationsEach} operations, or, with 0,
     * runs until {@link #stop()}.
     */
    void start(int count, List<String> accounts, int operationsEach) {
        int run = runs.incrementAndGet();
        for (int c = 0; c < count; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                HttpClient http = client();
                for (int n = 0; !stopping && (operationsEach == 0 || n < operationsEach); n++) {
                    execute(http, client, next(name + "-" + run + "-" + client + "-" + n, accounts));
                }
            }, name + "-client-" + c);
            thread.start();
            clients.add(thread);
        }
    }

    /** Waits for the clients to end: each finishes the operation it is on (retrying it if need be) and stops. */
    void stop() throws InterruptedException {
        stopping = true;
        awaitClients();
    }

    /**
     * Waits for every client to finish. Fails only when no operation at all has ended for longer than one
     * operation may take (its deadline plus a hung request): slow progress on a loaded machine is still progress.
     */
    void awaitClients() throws InterruptedException {
        long patience = operationDeadline.toNanos() + REQUEST_TIMEOUT.toNanos() * 2;
        int ended = outcomes.size();
        long lastProgress = System.nanoTime();
        for (Thread client : clients) {
            while (client.isAlive()) {
                client.join(1_000);
                if (outcomes.size() != ended) {
                    ended = outcomes.size();
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > patience) {
                    throw new AssertionError(client.getName() + " is still busy and no operation has ended for "
                            + TimeUnit.NANOSECONDS.toSeconds(patience) + " s: a request hangs");
                }
            }
        }
    }

    private Operation next(String key, List<String> accounts) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long amount = 1 + random.nextLong(5_000);
        boolean raced = targets.size() > 1 && random.nextDouble() < raceShare;
        int roll = random.nextInt(100);
        if (roll < 60) {
            boolean hot = random.nextInt(100) < 40;
            int from = hot ? random.nextInt(2) : random.nextInt(accounts.size());
            int to = hot ? 1 - from : (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
            return new Operation(key, Kind.TRANSFER, accounts.get(from), accounts.get(to), amount, raced);
        }
        return new Operation(key, roll < 80 ? Kind.CREDIT : Kind.DEBIT, accounts.get(random.nextInt(accounts.size())),
                null, amount, raced);
    }

    private Outcome execute(HttpClient http, int client, Operation operation) {
        long deadline = System.nanoTime() + operationDeadline.toNanos();
        for (int attempt = 1; ; attempt++) {
            List<Reply> replies = attempt == 1 && operation.raced() ? race(http, operation)
                    : List.of(attempt(http, client, operation));
            Result result = null;
            for (Reply reply : replies) {
                Result definite = definite(reply);
                if (definite == Result.ACKNOWLEDGED || result == null) {
                    result = definite;
                }
            }
            if (result != null) {
                if (result == Result.ACKNOWLEDGED) {
                    acknowledgements.add(new long[] {System.nanoTime(), client});
                }
                return record(new Outcome(operation, result, attempt, client));
            }
            failedAttempts.incrementAndGet();
            if (replies.stream().allMatch(reply -> reply.status() == -1)) {
                deadline = Math.max(deadline, System.nanoTime() + operationDeadline.toNanos());
            } else if (System.nanoTime() > deadline) {
                return record(new Outcome(operation, Result.ABANDONED, attempt, client));
            }
            // A client's pause before it retries; shorter than the Retry-After of 1 s, to measure recovery closely.
            LockSupport.parkNanos(retryDelay.toNanos());
        }
    }

    /** Sends one attempt of {@code operation} to the client's instance, and counts it. */
    Reply attempt(HttpClient http, int client, Operation operation) {
        return send(http, targets.get(client % targets.size()).apply(operation.path()), operation.key(), operation.body());
    }

    /** Adds an operation whose attempts a test made itself to the log the checks read. */
    Outcome record(Outcome outcome) {
        outcomes.add(outcome);
        return outcome;
    }

    /** The definite answer a reply is, or null when the operation must be retried. */
    private Result definite(Reply reply) {
        if (reply.status() >= 200 && reply.status() < 300) {
            return Result.ACKNOWLEDGED;
        }
        if (reply.status() == 422 && "/problems/insufficient-funds".equals(reply.type())) {
            return Result.REFUSED;
        }
        return null;
    }

    /** The first attempt sent to two instances at once; both answers count. */
    private List<Reply> race(HttpClient http, Operation operation) {
        racedAttempts.incrementAndGet();
        List<CompletableFuture<Reply>> sent = new ArrayList<>();
        for (Function<String, URI> target : targets.subList(0, 2)) {
            sent.add(CompletableFuture.supplyAsync(() -> send(http, target.apply(operation.path()), operation.key(), operation.body())));
        }
        List<Reply> replies = sent.stream().map(CompletableFuture::join).toList();
        List<String> ids = replies.stream().filter(r -> r.status() == 201).map(Reply::id).distinct().toList();
        if (ids.size() > 1) {
            unexpected.add("one key, two different effects: " + replies);
        }
        return replies;
    }

    private Reply send(HttpClient http, URI uri, String key, String body) {
        attempts.incrementAndGet();
        long sentAt = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + ServiceProcess.API_KEY)
                    .header("Content-Type", "application/json").header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            return counted(new Reply(response.statusCode(), json.path("type").asText(null), json.path("id").asText(null),
                    response.headers().firstValue("Retry-After").orElse(null), System.nanoTime() - sentAt));
        } catch (HttpTimeoutException e) {
            timeouts.incrementAndGet();
            return new Reply(-1, "timeout", null, null, System.nanoTime() - sentAt);
        } catch (IOException e) {
            unanswered.add(sentAt);
            return new Reply(-1, e.getClass().getSimpleName(), null, null, System.nanoTime() - sentAt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Counts the answers that ask for a retry. Any answer the API does not document for these requests is kept:
     * it is retried like a 503, so the checks of the ledger still run, and the test fails on it.
     */
    private Reply counted(Reply reply) {
        int status = reply.status();
        if (status == 503 && "/problems/service-unavailable".equals(reply.type()) && reply.retryAfter() != null) {
            unavailable.incrementAndGet();
        } else if (status == 409 && "/problems/request-in-progress".equals(reply.type())) {
            inProgress.incrementAndGet();
        } else if (!(status >= 200 && status < 300) && !(status == 422 && "/problems/insufficient-funds".equals(reply.type()))) {
            unexpected.add(reply.toString());
        }
        return reply;
    }

    static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    Collection<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Waits until {@code count} operations have been acknowledged since {@code nanoTime}. */
    void awaitAcknowledged(String what, long nanoTime, int count) {
        await(what).atMost(PATIENCE).until(() -> acknowledgements.stream().filter(a -> a[0] >= nanoTime).count() >= count);
    }

    /** How long after a fault ended writes were acknowledged again: the first one, and one for every client. */
    record Recovery(long firstMillis, long everyClientMillis) {
    }

    /** Waits for the clients to recover from a fault that ended at {@code nanoTime}. */
    Recovery awaitRecovery(String fault, long nanoTime) {
        long first = await("a write acknowledged after " + fault).atMost(PATIENCE)
                .until(() -> acknowledgements.stream().mapToLong(a -> a[0]).filter(t -> t >= nanoTime).min(),
                        OptionalLong::isPresent).getAsLong();
        long everyClient = await("every client acknowledged again after " + fault).atMost(PATIENCE)
                .until(() -> everyClientAcknowledgedSince(nanoTime), OptionalLong::isPresent).getAsLong();
        return new Recovery(TimeUnit.NANOSECONDS.toMillis(first - nanoTime), TimeUnit.NANOSECONDS.toMillis(everyClient - nanoTime));
    }

    /** When every client had an acknowledgement again after {@code nanoTime}, or empty if some client has none. */
    private OptionalLong everyClientAcknowledgedSince(long nanoTime) {
        long latest = Long.MIN_VALUE;
        for (int c = 0; c < clients.size(); c++) {
            int client = c;
            OptionalLong first = acknowledgements.stream().filter(a -> a[1] == client && a[0] >= nanoTime)
                    .mapToLong(a -> a[0]).min();
            if (first.isEmpty()) {
                return OptionalLong.empty();
            }
            latest = Math.max(latest, first.getAsLong());
        }
        return OptionalLong.of(latest);
    }

    long failedAttempts() {
        return failedAttempts.get();
    }

    /** Attempts sent before {@code nanoTime} that got no answer at all: requests in flight at a kill. */
    long unansweredSentBefore(long nanoTime, long notBefore) {
        return unanswered.stream().filter(t -> t < nanoTime && t >= notBefore).count();
    }

    /**
     * Every operation got a definite answer within its deadline, no request hung, and every answer was one the
     * API documents for the case (2xx, 422 insufficient funds, 409 in progress, 503 with Retry-After).
     */
    void assertEveryOperationAnswered() {
        assertThat(unexpected).as("answers other than 2xx, 422, 409 in progress or 503 with Retry-After").isEmpty();
        assertThat(timeouts.get()).as("requests that got no answer in " + REQUEST_TIMEOUT).isZero();
        assertThat(outcomes.stream().filter(o -> o.result() == Result.ABANDONED).toList())
                .as("operations without a definite answer within " + operationDeadline).isEmpty();
    }

    /** Figures every fault test records. */
    void recordTo(Figures figures) {
        Map<Result, Long> results = new java.util.EnumMap<>(Result.class);
        outcomes.forEach(o -> results.merge(o.result(), 1L, Long::sum));
        figures.put("operations", outcomes.size())
                .put("acknowledged", results.getOrDefault(Result.ACKNOWLEDGED, 0L))
                .put("refused (422 insufficient funds)", results.getOrDefault(Result.REFUSED, 0L))
                .put("given up without a definite answer", results.getOrDefault(Result.ABANDONED, 0L))
                .put("requests sent", attempts.get())
                .put("requests retried (no definite answer)", failedAttempts.get())
                .put("503 service-unavailable", unavailable.get())
                .put("409 request-in-progress", inProgress.get())
                .put("connection failures", unanswered.size())
                .put("timeouts", timeouts.get())
                .put("first attempts raced to two instances", racedAttempts.get())
                .put("unexpected answers", unexpected.size());
    }
}
