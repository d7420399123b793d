package bank.docs;

import static org.assertj.core.api.Assertions.assertThat;

import bank.http.ProblemType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API guide's table of problem types is the enum's, row for row, each linking the page the service serves. */
class ProblemTypesGuideTest {

    private static final Path GUIDE = Path.of("..", "docs", "api.md");

    @Test
    void theGuideListsEveryProblemTypeAsTheServiceDescribesIt() throws IOException {
        List<String> rows = Files.readAllLines(GUIDE).stream().map(String::strip)
                .filter(line -> line.startsWith("| [`" + ProblemType.PAGES + "/")).toList();
        List<String> expected = Arrays.stream(ProblemType.values()).map(type -> "| [`" + type.uri()
                + "`](http://localhost:8080" + type.uri() + ") | " + type.status() + " | " + type.title() + " | "
                + type.description() + " |").toList();

        assertThat(rows).as("the rows of the problem types in docs/api.md; expected:%n%s", String.join("\n", expected))
                .isEqualTo(expected);
    }
}
