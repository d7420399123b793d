package bank.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import bank.testing.ServiceProcess;
import bank.testing.TestDatabase;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's start-up (service/Dockerfile's ENTRYPOINT and CMD, run through docker-entrypoint.sh on this JDK, with
 * the agent and the paths of a built checkout) and its ahead-of-time cache: the first start records one from a
 * training run against the database and then runs with it; a later start loads the service's classes from it
 * without training again; a damaged cache costs the cache, never the start.
 */
class AotCacheIT {

    private static final Path DOCKERFILE = Path.of("Dockerfile");
    /** Where the image's files are in a built checkout, relative to the service module. */
    private static final Map<String, String> IMAGE_PATHS = Map.of(
            "/app/docker-entrypoint.sh", "docker-entrypoint.sh",
            "/app/otel/", "target/otel/",
            "/app/bank-service.jar", "target/bank-service.jar",
            "/app/config.yml", "config.yml");
    /** A class of the service's own, loaded at every start: where it came from tells whether the cache was used. */
    private static final String APPLICATION_CLASS = "bank.BankApplication";
    private static final Duration START = Duration.ofMinutes(10);

    @Test
    void theFirstStartRecordsACacheLaterStartsLoadFromItAndADamagedOneCostsOnlyTheCache(@TempDir Path scratch)
            throws Exception {
        assertThat(Runtime.version().feature()).as("the image runs Java 25; run the suite on a JDK 25 (CONTRIBUTING.md)")
                .isGreaterThanOrEqualTo(25);
        Path caches = Files.createDirectories(scratch.resolve("aot"));
        try (TestDatabase database = TestDatabase.create()) {
            Path classes = scratch.resolve("first.classes");
            try (ServiceProcess first = start("aot-first", database, caches, classes)) {
                Path cache = Awaitility.await("a cache recorded by the training run").atMost(START)
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> cacheIn(caches), found -> found != null);
                first.awaitHealthy(START);
                assertThat(first.output()).contains("a training run records one first", "AOT cache recorded in " + cache);
                assertThat(source(classes, APPLICATION_CLASS)).as("where the first start's JVM took %s from", APPLICATION_CLASS)
                        .isEqualTo("shared objects file");
            }

            classes = scratch.resolve("second.classes");
            Path cache = cacheIn(caches);
            try (ServiceProcess second = start("aot-second", database, caches, classes)) {
                second.awaitHealthy(START);
                assertThat(second.output()).doesNotContain("training run");
                assertThat(source(classes, APPLICATION_CLASS)).as("where the second start's JVM took %s from",
                        APPLICATION_CLASS).isEqualTo("shared objects file");
                assertThat(sharedClasses(classes)).as("classes loaded from the cache").isGreaterThan(5_000);
            }
            assertThat(cacheIn(caches)).as("the same cache, kept").isEqualTo(cache);

            try (RandomAccessFile file = new RandomAccessFile(cache.toFile(), "rw")) {
                file.setLength(file.length() / 2);
            }
            classes = scratch.resolve("truncated.classes");
            try (ServiceProcess third = start("aot-truncated", database, caches, classes)) {
                third.awaitHealthy(START);
                assertThat(source(classes, APPLICATION_CLASS)).as("where a start with a truncated cache took %s from",
                        APPLICATION_CLASS).isNotEqualTo("shared objects file").endsWith("bank-service.jar");
            }
        }
    }

    /** The image's command line, as the container runs it, with the class-load log of every JVM it starts. */
    private static ServiceProcess start(String name, TestDatabase database, Path caches, Path classes) throws IOException {
        Map<String, String> environment = Map.of(
                "AOT_CACHE_DIR", caches.toString(),
                "JDK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + classes,
                "DB_MIGRATE_ON_START", "true",
                // The agent runs, with nowhere to send its telemetry to: the cache is about its classes, not its exports.
                "OTEL_TRACES_EXPORTER", "none",
                "OTEL_METRICS_EXPORTER", "none",
                "OTEL_LOGS_EXPORTER", "none");
        return ServiceProcess.start(name, imageCommand(), database.url(), environment);
    }

    static List<String> imageCommand() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE).replaceAll("\\\\\\n\\s*", " ");
        List<String> command = new ArrayList<>();
        for (String instruction : List.of("ENTRYPOINT", "CMD")) {
            Matcher form = Pattern.compile("(?m)^" + instruction + "\\s+(\\[.*])\\s*$").matcher(dockerfile);
            assertThat(form.find()).as("service/Dockerfile has an %s in exec form", instruction).isTrue();
            command.addAll(new ObjectMapper().readValue(form.group(1), new TypeReference<List<String>>() { }));
        }
        List<String> local = new ArrayList<>();
        for (String word : command) {
            if (word.equals("java")) {
                word = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            }
            for (Map.Entry<String, String> path : IMAGE_PATHS.entrySet()) {
                word = word.replace(path.getKey(), path.getValue());
            }
            assertThat(word).as("an image path without a local counterpart").doesNotContain("/app/");
            local.add(word);
        }
        assertThat(local.get(0)).as("the entrypoint script").isEqualTo("docker-entrypoint.sh");
        local.set(0, Path.of("docker-entrypoint.sh").toAbsolutePath().toString());
        return local;
    }

    private static Path cacheIn(Path caches) throws IOException {
        try (Stream<Path> files = Files.list(caches)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".aot")).findFirst().orElse(null);
        }
    }

    /** "source: ..." of a class in a -Xlog:class+load log, or null when the class was not loaded. */
    private static String source(Path classes, String name) throws IOException {
        Pattern line = Pattern.compile(" " + Pattern.quote(name) + " source: (.*)$");
        try (Stream<String> lines = Files.lines(classes)) {
            return lines.map(line::matcher).filter(Matcher::find).map(m -> m.group(1).strip()).findFirst().orElse(null);
        }
    }

    private static long sharedClasses(Path classes) throws IOException {
        try (Stream<String> lines = Files.lines(classes)) {
            return lines.filter(l -> l.endsWith("source: shared objects file")).count();
        }
    }
}
