package bank;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shared packages stay below the features: any feature may use them, so they may use none. */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "bank");
    private static final List<String> SHARED = List.of("http", "money");
    private static final Pattern BANK_IMPORT = Pattern.compile("^import (?:static )?bank\\.(\\w+)\\.", Pattern.MULTILINE);

    @Test
    void httpAndMoneyImportNoFeaturePackage() throws IOException {
        List<String> features;
        try (Stream<Path> packages = Files.list(SOURCES)) {
            features = packages.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !SHARED.contains(name)).toList();
        }
        assertThat(features).contains("accounts", "ledger", "transfers", "idempotency");

        for (String shared : SHARED) {
            try (Stream<Path> files = Files.walk(SOURCES.resolve(shared))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher imports = BANK_IMPORT.matcher(Files.readString(file));
                    while (imports.find()) {
                        assertThat(imports.group(1)).as("%s imports bank.%s", file, imports.group(1)).isNotIn(features);
                    }
                }
            }
        }
    }
}
