package bank.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.dropwizard.logback.AsyncAppenderBaseProxy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** What reaches an appender: one line per event whatever its values, and no driver chatter below WARN. */
class LogSafetyTest {

    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void appenderWithAnOperatorsPattern() {
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.start();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        // Every converter that prints a value, none of them a safe variant: the escaping cannot depend on it.
        encoder.setPattern("%level [%thread] %mdc %kvp %m %message %msg %ex%n");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(Level.TRACE);
        LogSafety.apply(context);
    }

    @Test
    void valuesCannotStartLinesOfTheirOwn() {
        Logger log = context.getLogger("bank.accounts");
        MDC.put("client", "a\nFORGED mdc");
        try {
            log.atInfo().addKeyValue("name", "b\r\nFORGED kv").log("opened {}", "c\nFORGED argument\u2028x\u001b[31m");
            log.warn("failed", new IllegalStateException("d\nFORGED exception",
                    new IllegalArgumentException("e\nFORGED cause")));
        } finally {
            MDC.remove("client");
        }
        Thread.currentThread().setName("dw-1 - GET /v1/accounts?after=secret\nFORGED");
        try {
            log.info("thread");
        } finally {
            Thread.currentThread().setName("main");
        }

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines()).noneMatch(line -> line.startsWith("FORGED"));
        assertThat(text).contains("c\\nFORGED argument\\u2028x\\u001b[31m", "a\\nFORGED mdc", "b\\r\\nFORGED kv",
                "d\\nFORGED exception", "e\\nFORGED cause", "dw-1 - GET /v1/accounts");
        assertThat(text).doesNotContain("secret", "\u001b", "\u2028");
        // Stack frames still print one per line.
        assertThat(text.lines().filter(line -> line.startsWith("\tat "))).isNotEmpty();
    }

    /**
     * When logging stops (at the end of a command such as {@code migrate}), Dropwizard drains the queues of the
     * asynchronous appenders it finds on the root logger; behind the escaping wrapper, it must still find them.
     */
    @Test
    void anAsynchronousAppenderCanStillBeDrainedWhenLoggingStops() {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        AsyncAppender queue = new AsyncAppender();
        queue.setContext(context);
        queue.setName("async-console");
        queue.start();
        root.addAppender(queue);

        LogSafety.apply(context);

        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(appenders::add);
        assertThat(appenders).allMatch(EscapingAppender.class::isInstance);
        assertThat(appenders).filteredOn(AsyncAppenderBaseProxy.class::isInstance).singleElement()
                .satisfies(wrapper -> assertThat(((AsyncAppenderBaseProxy<?>) wrapper).getAppender()).isSameAs(queue));
    }

    @Test
    void theDatabaseDriverJettyAndJerseyStayAtWarnWhateverTheirLevel() {
        for (String name : new String[] {"org.postgresql.core.v3.QueryExecutorImpl", "org.eclipse.jetty.http.HttpParser",
                "org.glassfish.jersey.server.ServerRuntime"}) {
            Logger logger = context.getLogger(name);
            logger.setLevel(Level.TRACE);
            logger.trace("FE=> Bind $1=<'Zebedee'>");
            logger.debug("debug from {}", name);
            logger.info("info from {}", name);
            logger.warn("warning from {}", name);
        }
        context.getLogger("org.postgresqlx").info("a neighbour is not pinned");

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("Zebedee", "debug from", "info from")
                .contains("warning from org.postgresql.core", "warning from org.eclipse.jetty", "warning from org.glassfish",
                        "a neighbour is not pinned");
    }
}
