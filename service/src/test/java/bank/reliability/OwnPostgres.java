package bank.reliability;

import bank.testing.FreePorts;
import bank.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, which it may stop and start at will: {@code initdb} in a temporary
 * folder, {@code pg_ctl} to start and stop it, listening on a free port of 127.0.0.1 only, with trust
 * authentication for the user {@code bank}. PostgreSQL refuses to run as root, so when the tests run as root
 * its programs run as the {@code postgres} OS user ({@code runuser -u postgres --}). The binaries are taken from
 * {@code -Dpostgres.bin}, or the newest {@code /usr/lib/postgresql/<version>/bin} (Debian's layout).
 */
final class OwnPostgres implements AutoCloseable {

    /** The superuser initdb creates: the tests' user, so the service connects to it as to the shared server. */
    static final String USER = TestDatabase.USER;
    private static final String OS_USER = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path log;
    private final int port;
    private boolean running;

    private OwnPostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.log = dir.resolve("postgres.log");
        this.port = port;
    }

    /** Creates the cluster, starts it and creates the database {@code bank}. */
    static OwnPostgres create() throws IOException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "bank-reliability-pg-");
        OwnPostgres postgres = new OwnPostgres(bin, dir, FreePorts.take());
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close));
        if (asRoot()) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName(OS_USER));
        }
        postgres.run("initdb", "-D", postgres.data.toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                "--no-instructions");
        postgres.start();
        try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl("postgres"), USER, "");
             var statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE bank");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database on the test's own PostgreSQL", e);
        }
        return postgres;
    }

    String jdbcUrl() {
        return jdbcUrl("bank");
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
    }

    /** Starts the server and returns once it accepts connections ({@code pg_ctl start -w}). */
    void start() {
        run("pg_ctl", "-D", data.toString(), "-l", log.toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start");
        running = true;
    }

    /**
     * Stops the server. {@code immediate} is a crash: every backend is killed at once and the next start
     * recovers from the write-ahead log; {@code fast} rolls back open transactions and disconnects clients.
     */
    void stop(String mode) {
        run("pg_ctl", "-D", data.toString(), "-m", mode, "-w", "stop");
        running = false;
    }

    /** Stops the server if it runs, keeps its log under target/reliability/ and deletes the cluster. */
    @Override
    public synchronized void close() {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            if (running) {
                stop("immediate");
            }
            if (Files.exists(log)) {
                Path kept = Figures.directory().resolve("postgres.log");
                Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not clean up the test PostgreSQL in " + dir + ": " + e);
        }
    }

    private void run(String program, String... arguments) {
        List<String> command = new ArrayList<>();
        if (asRoot()) {
            command.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        try {
            Path output = Files.createTempFile("bank-reliability-pg-", ".out");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                            + "):\n" + Files.readString(output) + tail(log));
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        List<String> lines = Files.readAllLines(file);
        return "\nserver log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path binaries() throws IOException {
        String configured = System.getProperty("postgres.bin");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            }
        }
        throw new IllegalStateException("these tests run a PostgreSQL server of their own and need its programs "
                + "(initdb, pg_ctl): install PostgreSQL 15 (Debian: apt-get install postgresql-15) or pass "
                + "-Dpostgres.bin=<directory of pg_ctl>");
    }

}
