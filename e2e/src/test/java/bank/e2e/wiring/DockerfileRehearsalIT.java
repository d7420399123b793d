package bank.e2e.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import bank.e2e.stack.Command;
import bank.e2e.stack.Repository;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rehearsal of service/Dockerfile without a container engine: its build stage's COPY and RUN instructions
 * are carried out in a scratch directory, with the build context filtered by .dockerignore as Docker filters
 * it, {@code mvn} played by the repository's Maven wrapper and a Maven repository of its own (the image's
 * starts empty too). The runtime stage's COPY sources and the files its ENTRYPOINT names must then exist, and so
 * must those named by the command of each compose service built from it (api-migrate's config file, say).
 * It catches what only an image build would otherwise show: a build step that cannot work, a file the
 * context leaves out, an output the runtime stage expects under another name.
 */
class DockerfileRehearsalIT {

    private static final Path CONTEXT = Repository.root();
    private static final Path DOCKERFILE = CONTEXT.resolve("service/Dockerfile");
    private static final Pattern INSTRUCTION = Pattern.compile("^(FROM|WORKDIR|COPY|RUN|ENTRYPOINT|CMD)\\s+(.*)$");

    record Instruction(String keyword, String arguments) {
    }

    @Test
    void theImageBuildsAndHoldsWhatItsEntrypointRuns(@TempDir Path scratch) throws IOException {
        List<String> composeCommands = new ArrayList<>();
        for (String service : List.of("api", "api-migrate", "traffic")) {
            assertThat(Repository.composeService(service).get("build"))
                    .as("compose builds %s from the repository root with service/Dockerfile", service)
                    .isEqualTo(Map.of("context", ".", "dockerfile", "service/Dockerfile"));
            Object command = Repository.composeService(service).get("command");
            if (command != null) {
                composeCommands.add(String.join(" ", Repository.composeCommand(service)));
            }
        }
        List<List<Instruction>> stages = stages(Files.readString(DOCKERFILE));
        assertThat(stages).as("a build stage and a runtime stage").hasSize(2);
        List<PathMatcher> ignored = dockerignore();

        Path buildRoot = scratch.resolve("build");
        Path workdir = buildRoot;
        for (Instruction instruction : stages.get(0)) {
            switch (instruction.keyword()) {
                case "WORKDIR" -> workdir = Files.createDirectories(buildRoot.resolve(instruction.arguments().substring(1)));
                case "COPY" -> copyFromContext(instruction.arguments(), workdir, ignored);
                case "RUN" -> run(instruction.arguments(), workdir);
                default -> { }
            }
        }

        // Where each runtime path comes from: the build stage's output or the context.
        Map<String, Path> provided = new LinkedHashMap<>();
        for (Instruction instruction : stages.get(1)) {
            if (instruction.keyword().equals("COPY")) {
                List<String> words = Arrays.asList(instruction.arguments().split("\\s+"));
                assertThat(words).as("COPY with one source: " + instruction.arguments()).hasSizeBetween(2, 3);
                String destination = words.get(words.size() - 1);
                String source = words.get(words.size() - 2);
                Path origin = words.get(0).startsWith("--from=") ? buildRoot.resolve(source.substring(1)) : inContext(source, ignored);
                assertThat(origin).as("source of COPY " + instruction.arguments()).exists();
                provided.put(destination, origin);
            }
        }
        String commandLine = stages.get(1).stream().filter(i -> i.keyword().equals("ENTRYPOINT") || i.keyword().equals("CMD"))
                .map(Instruction::arguments).collect(Collectors.joining(" ")) + " " + String.join(" ", composeCommands);
        Matcher files = Pattern.compile("/app/[\\w./-]+").matcher(commandLine);
        int named = 0;
        for (; files.find(); named++) {
            String file = files.group();
            Path origin = provided.entrySet().stream()
                    .filter(copy -> file.equals(copy.getKey()) || copy.getKey().endsWith("/") && file.startsWith(copy.getKey()))
                    .map(copy -> file.equals(copy.getKey()) ? copy.getValue() : copy.getValue().resolve(file.substring(copy.getKey().length())))
                    .findFirst().orElse(null);
            assertThat(origin).as("a COPY in the runtime stage provides " + file).isNotNull();
            assertThat(origin).as(file + " in the image").isRegularFile();
        }
        assertThat(named).as("files named by ENTRYPOINT, CMD and the compose commands").isGreaterThanOrEqualTo(4);
    }

    /** Instructions grouped by stage, with line continuations joined. */
    private static List<List<Instruction>> stages(String dockerfile) {
        List<List<Instruction>> stages = new ArrayList<>();
        for (String line : dockerfile.replaceAll("\\\\\\n\\s*", " ").lines().toList()) {
            Matcher instruction = INSTRUCTION.matcher(line.strip());
            if (line.startsWith("#") || !instruction.matches()) {
                continue;
            }
            if (instruction.group(1).equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            stages.get(stages.size() - 1).add(new Instruction(instruction.group(1), instruction.group(2).strip()));
        }
        return stages;
    }

    private static List<PathMatcher> dockerignore() throws IOException {
        return Files.readAllLines(CONTEXT.resolve(".dockerignore")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .flatMap(pattern -> pattern.startsWith("**/")
                        ? Stream.of(pattern, pattern.substring(3)) // "**/x" also matches x at the top
                        : Stream.of(pattern))
                .map(pattern -> FileSystems.getDefault().getPathMatcher("glob:" + pattern))
                .toList();
    }

    private static boolean isIgnored(Path relative, List<PathMatcher> ignored) {
        for (Path prefix = relative; prefix != null; prefix = prefix.getParent()) {
            Path candidate = prefix;
            if (ignored.stream().anyMatch(matcher -> matcher.matches(candidate))) {
                return true;
            }
        }
        return false;
    }

    private static Path inContext(String source, List<PathMatcher> ignored) {
        Path relative = Path.of(source.replaceAll("/$", ""));
        assertThat(isIgnored(relative, ignored)).as(source + " is left out of the build context by .dockerignore").isFalse();
        return CONTEXT.resolve(relative);
    }

    /** COPY src... dest: a directory's contents go into dest; a file goes into dest/ or becomes dest. */
    private static void copyFromContext(String arguments, Path workdir, List<PathMatcher> ignored) throws IOException {
        List<String> words = new ArrayList<>(Arrays.asList(arguments.split("\\s+")));
        String destination = words.remove(words.size() - 1);
        for (String source : words) {
            Path from = inContext(source, ignored);
            assertThat(from).as("COPY source " + source).exists();
            Path to = workdir.resolve(destination);
            if (Files.isRegularFile(from)) {
                Path target = destination.endsWith("/") ? to.resolve(from.getFileName().toString()) : to;
                Files.createDirectories(target.getParent());
                Files.copy(from, target, StandardCopyOption.REPLACE_EXISTING);
                continue;
            }
            try (Stream<Path> tree = Files.walk(from)) {
                for (Path file : tree.filter(Files::isRegularFile).toList()) {
                    if (!isIgnored(CONTEXT.relativize(file), ignored)) {
                        Path target = to.resolve(from.relativize(file).toString());
                        Files.createDirectories(target.getParent());
                        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    /** RUN, with BuildKit's --mount options dropped and mvn played by the Maven wrapper. */
    private static void run(String arguments, Path workdir) throws IOException {
        String command = arguments.replaceAll("--mount=\\S+\\s+", "");
        Path shims = Files.createDirectories(workdir.getParent().resolve("shims"));
        Path repository = Path.of(System.getProperty("user.home"), ".cache", "observable-bank", "dockerfile-m2");
        Path mvn = shims.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\nexec \"" + CONTEXT.resolve("mvnw") + "\" -Dmaven.repo.local=\"" + repository
                + "\" \"$@\"\n");
        assertThat(mvn.toFile().setExecutable(true)).isTrue();
        Command.Result result = Command.run("dockerfile-rehearsal", List.of("bash", "-c",
                "cd \"" + workdir + "\" && PATH=\"" + shims + ":$PATH\" && " + command), Duration.ofMinutes(15));
        result.assertSucceeded();
    }
}
