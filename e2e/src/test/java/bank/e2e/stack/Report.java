package bank.e2e.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What the suite saw, written to e2e/target/e2e-report.md for people to read after a run. */
public final class Report {

    private static final Path FILE = Repository.root().resolve("e2e/target/e2e-report.md");
    private static boolean started;

    private Report() {
    }

    public static synchronized void section(String title, String body) {
        try {
            Files.createDirectories(FILE.getParent());
            if (!started) {
                Files.deleteIfExists(FILE);
                started = true;
            }
            Files.writeString(FILE, "## " + title + "\n\n" + body.strip() + "\n\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
