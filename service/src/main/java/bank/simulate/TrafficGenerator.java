package bank.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A population of simulated customers: they open accounts, receive salaries, pay bills, move money between
 * each other (sometimes more than they have), look at their balances and statements, and now and then send a
 * request that is wrong, a forgotten or a wrong API key among them. Every request carries the generator's key.
 * Every POST carries an Idempotency-Key of its own and is retried with the same key after a timeout, a 409, a 429
 * or a 5xx, as a careful client would: the outcome of such a request is unknown (or, after a 429, known to be
 * nothing), and only the same key makes its retry safe.
 */
final class TrafficGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficGenerator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIRST_NAMES = List.of("Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald",
            "Frances", "John", "Margaret", "Niklaus", "Radia", "Tim");
    private static final List<String> LAST_NAMES = List.of("Example", "Sample", "Placeholder", "Testperson",
            "Demo", "Fictional");
    private static final int MAX_ACCOUNTS = 300;
    private static final int MAX_IN_FLIGHT = 16;
    private static final int ATTEMPTS = 3;

    private final URI target;
    private final double rate;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Account> accounts = new CopyOnWriteArrayList<>();
    private final List<String> transfers = new CopyOnWriteArrayList<>();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final SyntheticClientMetrics metrics = new SyntheticClientMetrics();

    private record Account(String id, String currency) {
    }

    TrafficGenerator(URI target, double rate, String apiKey) {
        this.target = target;
        this.rate = rate;
        this.authorization = "Bearer " + apiKey;
    }

    void run(Duration duration) throws InterruptedException {
        if (rate <= 0) {
            LOG.info("traffic is switched off (rate 0)");
            return;
        }
        awaitApi();
        for (int i = 0; i < 10; i++) {
            openAccount();
        }
        LOG.info("sending traffic to {} at {} requests per second", target, rate);
        long intervalNanos = (long) (1e9 / rate);
        long deadline = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long next = System.nanoTime();
        long lastReport = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(MAX_IN_FLIGHT);
        try {
            while (System.nanoTime() < deadline) {
                next += intervalNanos;
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime())); // the pacing of the load itself
                // When the API is slower than the rate, skip a beat instead of queueing without bound.
                if (inFlight.tryAcquire()) {
                    workers.execute(() -> {
                        try {
                            step();
                        } finally {
                            inFlight.release();
                        }
                    });
                }
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(30)) {
                    LOG.info("responses so far by status: {}", statuses);
                    lastReport = System.nanoTime();
                }
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private void step() {
        int roll = ThreadLocalRandom.current().nextInt(100);
        try {
            if (roll < 5 || accounts.size() < 2) {
                openAccount();
            } else if (roll < 25) {
                post(transactionPath(randomAccount()), Map.of("type", "CREDIT", "amount", amount(200_000),
                        "description", "salary"));
            } else if (roll < 40) {
                post(transactionPath(randomAccount()), Map.of("type", "DEBIT", "amount", amount(60_000),
                        "description", "card payment"));
            } else if (roll < 65) {
                transfer();
            } else if (roll < 80) {
                get("/v1/accounts/" + randomAccount().id());
            } else if (roll < 90) {
                get(transactionPath(randomAccount()) + "?limit=20");
            } else if (roll < 94) {
                get("/v1/accounts?limit=50");
            } else if (roll < 96 && !transfers.isEmpty()) {
                get("/v1/transfers/" + transfers.get(ThreadLocalRandom.current().nextInt(transfers.size())));
            } else {
                badRequest();
            }
        } catch (RuntimeException e) {
            LOG.warn("simulated request failed: {}", e.toString());
        }
    }

    private void openAccount() {
        if (accounts.size() >= MAX_ACCOUNTS) {
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String currency = random.nextInt(10) < 8 ? "USD" : random.nextBoolean() ? "EUR" : "GBP";
        JsonNode account = post("/v1/accounts", Map.of(
                "firstName", FIRST_NAMES.get(random.nextInt(FIRST_NAMES.size())),
                "lastName", LAST_NAMES.get(random.nextInt(LAST_NAMES.size())),
                "address", (1 + random.nextInt(200)) + " Example Street",
                "currency", currency));
        if (account != null) {
            accounts.add(new Account(account.get("id").asText(), currency));
        }
    }

    private void transfer() {
        Account from = randomAccount();
        Account to = randomAccount();
        if (from.equals(to)) {
            return;
        }
        JsonNode transfer = post("/v1/transfers", Map.of("fromAccountId", from.id(), "toAccountId", to.id(),
                "amount", amount(80_000), "description", "rent share"));
        if (transfer != null && transfers.size() < 1_000) {
            transfers.add(transfer.get("id").asText());
        }
    }

    /**
     * The mistakes real clients make: wrong types, impossible amounts, ids that do not exist, a forgotten
     * Idempotency-Key, a forgotten or a wrong API key.
     */
    private void badRequest() {
        switch (ThreadLocalRandom.current().nextInt(7)) {
            case 0 -> post(transactionPath(randomAccount()), Map.of("type", "CREDIT", "amount", 0));
            case 1 -> post(transactionPath(randomAccount()), Map.of("type", "CREDIT", "amount", "ten"));
            case 2 -> get("/v1/accounts/" + UUID.randomUUID());
            case 3 -> send(postRequest(transactionPath(randomAccount()), Map.of("type", "CREDIT", "amount", 100))
                    .build()); // no Idempotency-Key
            case 4 -> send(HttpRequest.newBuilder(target.resolve("/v1/accounts?limit=5"))
                    .timeout(Duration.ofSeconds(10)).GET().build()); // no API key
            case 5 -> send(HttpRequest.newBuilder(target.resolve("/v1/accounts/" + randomAccount().id()))
                    .header("Authorization", "Bearer bank_sk_" + UUID.randomUUID().toString().replace("-", ""))
                    .timeout(Duration.ofSeconds(10)).GET().build()); // a key that does not exist
            default -> post("/v1/transfers", Map.of("fromAccountId", randomAccount().id(), "toAccountId",
                    randomAccount().id(), "amount", -1));
        }
    }

    /** @return the created resource, or null when the request was refused */
    private JsonNode post(String path, Object body) {
        String idempotencyKey = UUID.randomUUID().toString();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            HttpRequest request = postRequest(path, body).header("Idempotency-Key", idempotencyKey).build();
            HttpResponse<String> response = send(request);
            int status = response == null ? 0 : response.statusCode();
            if (status != 0 && status < 500 && status != 409 && status != 429) {
                return status == 201 ? parse(response.body()) : null;
            }
            backOff(attempt);
        }
        return null;
    }

    private HttpRequest.Builder postRequest(String path, Object body) {
        return HttpRequest.newBuilder(target.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body)));
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(target.resolve(path)).header("Authorization", authorization)
                .timeout(Duration.ofSeconds(10)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            statuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
            metrics.answered(response.statusCode());
            return response;
        } catch (IOException e) {
            statuses.computeIfAbsent(0, s -> new LongAdder()).increment();
            metrics.noResponse();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void awaitApi() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = get("/v1/accounts?limit=1");
            if (response != null && response.statusCode() == 200) {
                return;
            }
            if (response != null && (response.statusCode() == 401 || response.statusCode() == 403)) {
                throw new IllegalStateException("the API refuses the generator's key (" + response.statusCode()
                        + "): TRAFFIC_API_KEY must be a key with every scope, such as the bootstrap key");
            }
            LOG.info("waiting for the API at {}", target);
            backOff(Math.min(attempt, 5));
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(200L << attempt); // client retry backoff, as a real client would wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Account randomAccount() {
        return accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
    }

    private static String transactionPath(Account account) {
        return "/v1/accounts/" + account.id() + "/transactions";
    }

    private static long amount(long max) {
        return 100 + ThreadLocalRandom.current().nextLong(max);
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
