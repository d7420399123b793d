package bank.http;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.Await;
import bank.testing.BankApi;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** What the service logs about requests: one line each, by route, and never a customer's personal data. */
class RequestLogIT {

    private static final String FIRST_NAME = "Zebedee";
    private static final String LAST_NAME = "Quixotic-Vanderbilt";
    private static final String ADDRESS = "77 Hidden Lane, Nowhere";

    @RegisterExtension
    static final BankApi api = new BankApi();

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeEach
    void capture() {
        captured.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        captured.start();
        root().addAppender(captured);
    }

    @AfterEach
    void release() {
        root().detachAppender(captured);
    }

    @Test
    void logsOneLinePerRequestWithRouteStatusAndDuration() {
        String account = api.openAccount("USD");
        api.get("/v1/accounts/" + account).expect(200);
        api.get("/v1/accounts/" + account + "/transactions?limit=5").expect(200);
        String notFound = api.get("/v1/accounts/not-there").expect(404).header(RequestId.HEADER);

        // The line is written as the response completes, which can be a moment after the client has read it.
        List<String> lines = awaitRequestLines(4);
        String client = "client=" + api.client().id();
        assertThat(lines.get(0)).matches("request method=POST route=/v1/accounts status=201 " + client
                + " duration_ms=\\d+\\.\\d request_id=[0-9a-f]{32}");
        assertThat(lines.get(1)).startsWith("request method=GET route=/v1/accounts/{id} status=200 " + client + " ");
        assertThat(lines.get(2)).startsWith("request method=GET route=/v1/accounts/{id}/transactions status=200 "
                + client + " ");
        assertThat(lines.get(3)).startsWith("request method=GET route=/v1/accounts/{id} status=404 " + client + " ")
                .endsWith(" request_id=" + notFound);
        assertThat(String.join("\n", lines)).doesNotContain(account);
    }

    @Test
    void personalDataNeverReachesTheLogs() {
        String account = api.post("/v1/accounts", Map.of("firstName", FIRST_NAME, "lastName", LAST_NAME,
                "address", ADDRESS, "currency", "EUR")).expect(201).text("id");
        api.post("/v1/accounts", Map.of("firstName", FIRST_NAME, "lastName", LAST_NAME, "address", ADDRESS,
                "currency", "nope")).expect(422);
        api.post("/v1/accounts", Map.of("firstName", FIRST_NAME, "lastName", "", "address", ADDRESS)).expect(422);
        api.postRaw("/v1/accounts", "{\"firstName\":\"" + FIRST_NAME + "\",\"lastName\":", "application/json").expect(400);
        api.get("/v1/accounts/" + account).expect(200);
        api.get("/v1/accounts").expect(200);

        List<ILoggingEvent> events;
        synchronized (captured) {
            events = List.copyOf(captured.list);
        }
        assertThat(events).isNotEmpty();
        for (ILoggingEvent event : events) {
            String text = event.getFormattedMessage() + event.getMDCPropertyMap()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(text).doesNotContain(FIRST_NAME, LAST_NAME, ADDRESS);
        }
    }

    @Test
    void keysNeverReachTheLogsAndARefusedRequestNamesNoClient() {
        String wrongKey = "bank_sk_SentinelWrongKeyThatMustNotBeLogged0000000000";
        api.withKey(wrongKey).get("/v1/accounts").expect(401);
        api.withRawAuthorization("Bearer " + wrongKey + " trailing").get("/v1/accounts").expect(401);
        api.withoutKey().get("/v1/accounts").expect(401);
        api.get("/v1/accounts").expect(200);

        List<String> lines = awaitRequestLines(4);
        assertThat(lines.subList(0, 3)).allSatisfy(line -> assertThat(line).contains(" status=401 client=- "));
        assertThat(lines.get(3)).contains(" status=200 client=" + api.client().id() + " ");
        List<ILoggingEvent> events;
        synchronized (captured) {
            events = List.copyOf(captured.list);
        }
        for (ILoggingEvent event : events) {
            String text = event.getFormattedMessage() + event.getMDCPropertyMap()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(text).doesNotContain("Sentinel", api.client().key().substring(8));
        }
    }

    private List<String> awaitRequestLines(int expected) {
        List<String> lines = Await.until(expected + " request log lines", Duration.ofSeconds(10), () -> {
            synchronized (captured) {
                return captured.list.stream()
                        .filter(event -> event.getLoggerName().equals("bank.http"))
                        .map(ILoggingEvent::getFormattedMessage)
                        .toList();
            }
        }, written -> written.size() >= expected);
        assertThat(lines).hasSize(expected);
        return lines;
    }

    private static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
