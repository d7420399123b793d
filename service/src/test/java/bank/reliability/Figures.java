package bank.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a fault test measured, in the order it was recorded: written to {@code target/reliability/<test>.txt}
 * and printed, so a run leaves its numbers behind for RELIABILITY.md and for whoever reads the build log.
 */
final class Figures {

    private final String test;
    private final Map<String, String> figures = new LinkedHashMap<>();

    Figures(String test) {
        this.test = test;
    }

    static Path directory() {
        try {
            return Files.createDirectories(Path.of("target", "reliability"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Figures put(String name, Object value) {
        figures.put(name, String.valueOf(value));
        return this;
    }

    /** Milliseconds, as min, median and max, and every value when there are few, e.g. recovery times. */
    Figures putMillis(String name, List<Long> millis) {
        if (millis.isEmpty()) {
            return put(name, "none");
        }
        List<Long> sorted = millis.stream().sorted().toList();
        String summary = "min " + sorted.get(0) + " ms, median " + sorted.get(sorted.size() / 2) + " ms, max "
                + sorted.get(sorted.size() - 1) + " ms";
        return put(name, millis.size() > 20 ? summary : summary + " (each: " + millis.stream().map(String::valueOf)
                .collect(Collectors.joining(", ")) + ")");
    }

    /** Writes and prints the figures; called even when the test fails, so a failure keeps its numbers too. */
    void write() {
        String text = "# " + test + " " + Instant.now() + "\n" + figures.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n")) + "\n";
        try {
            Files.writeString(directory().resolve(test + ".txt"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.print(text);
    }
}
