package bank.e2e.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program the suite runs to completion (a check, a build, a linter), with its output in a log file under
 * target/e2e-logs rather than on the test JVM's console, which belongs to the test runner.
 */
public final class Command {

    private static final int TAIL_LINES = 40;

    private Command() {
    }

    /** The outcome of one run: the exit status (-1 if it timed out) and the log holding its output. */
    public record Result(String name, int exitStatus, Path log) {

        public void assertSucceeded() {
            assertThat(exitStatus).as("%s exit status; last lines of %s:%n%s", name, log, tail()).isZero();
        }

        /** The last lines of the log, where a failing check names what failed. */
        public String tail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
            } catch (IOException e) {
                return "(could not read " + log + ": " + e.getMessage() + ")";
            }
        }
    }

    /** Runs {@code command} from the repository root, both output streams in the log {@code name}. */
    public static Result run(String name, List<String> command, Duration timeout) {
        Path log = Repository.logFile(name);
        return run(name, new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()), timeout, log);
    }

    /** As {@link #run(String, List, Duration)}, but with standard output in {@code stdout}, apart from errors. */
    static Result run(String name, List<String> command, Duration timeout, Path stdout) {
        Path log = Repository.logFile(name);
        return run(name, new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(log.toFile()), timeout, log);
    }

    private static Result run(String name, ProcessBuilder builder, Duration timeout, Path log) {
        try {
            Process process = builder.directory(Repository.root().toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(name, -1, log);
            }
            return new Result(name, process.exitValue(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
