package bank.e2e.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every script the documentation tells a person to run is committed executable: a fresh clone gets the mode git
 * recorded (git ls-files -s), not the one a working copy happens to have, and "tools/local-stack.sh --traffic"
 * must not fail with "Permission denied". A script the docs run through an interpreter (node, bash, sh) is exempt.
 */
class DocumentedScriptsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern INTERPRETER = Pattern.compile("(?:node|bash|sh|python3?)\\s+$");

    @Test
    void everyScriptTheDocsTellAPersonToRunIsCommittedExecutable() throws IOException, InterruptedException {
        Map<String, String> modes = committedModes();
        Map<String, List<String>> runBy = new TreeMap<>();
        for (Path doc : documents()) {
            String text = Files.readString(doc);
            for (String script : modes.keySet()) {
                if (!isScript(script)) {
                    continue;
                }
                Matcher mention = Pattern.compile("(?<![\\w/.-])(?:\\./)?" + Pattern.quote(script) + "(?![\\w/.-])").matcher(text);
                while (mention.find()) {
                    String before = text.substring(text.lastIndexOf('\n', mention.start()) + 1, mention.start());
                    if (!INTERPRETER.matcher(before).find()) {
                        runBy.computeIfAbsent(script, s -> new ArrayList<>()).add(ROOT.relativize(doc).toString());
                    }
                }
            }
        }
        assertThat(runBy).as("scripts the docs name").containsKeys("tools/local-stack.sh", "tools/check-configs.sh");
        List<String> notExecutable = new ArrayList<>();
        runBy.forEach((script, docs) -> {
            if (!"100755".equals(modes.get(script))) {
                notExecutable.add(script + " (mode " + modes.get(script) + ", run as a command in " + docs.stream().distinct().toList()
                        + "); fix with: git update-index --chmod=+x " + script);
            }
        });
        assertThat(notExecutable).as("scripts the docs run that are not committed executable").isEmpty();
    }

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md"),
                ROOT.resolve("tools/README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs.stream().filter(Files::isRegularFile).toList();
    }

    private static boolean isScript(String path) {
        try {
            byte[] start = Files.readAllBytes(ROOT.resolve(path));
            return start.length > 2 && start[0] == '#' && start[1] == '!';
        } catch (IOException e) {
            return false;
        }
    }

    /** Path to mode, as committed to the index: {@code 100755 <object> 0\tpath}. */
    private static Map<String, String> committedModes() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-s").directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(git.exitValue()).as(out).isZero();
        Map<String, String> modes = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                modes.put(line.substring(tab + 1), line.substring(0, line.indexOf(' ')));
            }
        }
        return modes;
    }
}
