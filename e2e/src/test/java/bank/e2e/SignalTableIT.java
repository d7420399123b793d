package bank.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import bank.e2e.stack.Await;
import bank.e2e.stack.LocalStack;
import bank.e2e.stack.PrometheusClient;
import bank.e2e.stack.Report;
import bank.e2e.stack.Repository;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The metrics table of docs/observability.md ("What each signal carries") against the live series: every label
 * the table names for a row must be on the row's metrics, with every example value the table gives for it, and
 * every {@code label="value"} must be there as written. A label the table marks as present only on some series
 * ("failed operations only") is checked when such series exist and reported otherwise.
 */
@Order(2)
class SignalTableIT {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern LABEL = Pattern.compile("([a-z_][a-z0-9_]*)(?:=\"([^\"]*)\")?");

    record Row(String area, List<String> metrics, List<DocumentedLabel> labels) {
    }

    record DocumentedLabel(String name, String value, List<String> examples, boolean sometimes) {
    }

    @Test
    void everyLabelTheTableNamesIsOnTheLiveSeriesOfItsRow() throws IOException {
        PrometheusClient prometheus = LocalStack.get().prometheus();
        List<Row> rows = rows(Files.readString(Repository.file("docs/observability.md")));
        assertThat(rows).as("rows of the metrics table in docs/observability.md").hasSizeGreaterThan(5);

        // Series appear as the traffic reaches each endpoint: check again until the table holds or time runs out;
        // what is still missing then is reported below.
        Await.untilTrueOrTimeout("every label of the table on the live series", Duration.ofSeconds(90),
                () -> check(prometheus, rows, new StringBuilder()).isEmpty());
        StringBuilder report = new StringBuilder();
        List<String> problems = check(prometheus, rows, report);
        Report.section("docs/observability.md metrics table against the live series", report.toString());
        assertThat(problems).as("labels in docs/observability.md that the live series do not carry").isEmpty();
    }

    private static List<String> check(PrometheusClient prometheus, List<Row> rows, StringBuilder report) {
        List<String> problems = new ArrayList<>();
        for (Row row : rows) {
            if (row.area().contains("compose only")) {
                report.append("- ").append(row.area()).append(": not checked, its source runs only in compose\n");
                continue;
            }
            Map<String, Set<String>> live = liveLabels(prometheus, row.metrics());
            if (live.isEmpty()) {
                problems.add(row.area() + ": no series of " + row.metrics());
                continue;
            }
            Set<String> undocumented = new TreeSet<>(live.keySet());
            undocumented.removeAll(Set.of("__name__", "job", "instance", "service_name", "service_namespace",
                    "deployment_environment_name", "le", "otel_scope_name", "otel_scope_version", "otel_scope_schema_url"));
            for (DocumentedLabel label : row.labels()) {
                undocumented.remove(label.name());
                Set<String> values = live.getOrDefault(label.name(), Set.of());
                if (values.isEmpty()) {
                    if (label.sometimes()) {
                        report.append("- ").append(row.area()).append(": `").append(label.name())
                                .append("` not seen here (the table says it is only on some series)\n");
                    } else {
                        problems.add(row.area() + ": no series of " + row.metrics() + " has the label " + label.name()
                                + "; labels seen: " + live.keySet());
                    }
                    continue;
                }
                if (label.value() != null && !values.contains(label.value())) {
                    problems.add(row.area() + ": " + label.name() + "=\"" + label.value() + "\" not seen; values: " + values);
                }
                for (String example : label.examples()) {
                    if (!values.contains(example)) {
                        problems.add(row.area() + ": " + label.name() + " example value " + example
                                + " not seen; values: " + values);
                    }
                }
            }
            report.append("- ").append(row.area()).append(": ").append(row.labels().size())
                    .append(" documented labels checked").append(undocumented.isEmpty() ? ""
                            : "; also on the live series, not in the table: " + undocumented).append('\n');
        }
        return problems;
    }

    /** The metrics table: one row per area, its metric name patterns and its documented labels. */
    static List<Row> rows(String markdown) {
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        String area = "";
        for (String line : markdown.lines().toList()) {
            if (line.startsWith("| Area | Metrics | Labels |")) {
                inTable = true;
                continue;
            }
            if (!inTable || line.startsWith("|---")) {
                continue;
            }
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("(?<!\\\\)\\|", -1);
            area = cells[1].isBlank() ? area : cells[1].strip();
            List<String> metrics = new ArrayList<>();
            Matcher code = CODE.matcher(cells[2]);
            while (code.find()) {
                metrics.add(code.group(1));
            }
            rows.add(new Row(area + " (" + String.join(", ", metrics) + ")", metrics, labels(cells[3])));
        }
        return rows;
    }

    /** Labels of a cell: parts separated by commas or semicolons outside parentheses, each a label and its notes. */
    static List<DocumentedLabel> labels(String cell) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder part = new StringBuilder();
        for (char c : cell.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0 && (c == ',' || c == ';')) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        List<DocumentedLabel> labels = new ArrayList<>();
        for (String text : parts) {
            Matcher code = CODE.matcher(text);
            if (!code.find()) {
                continue;
            }
            Matcher label = LABEL.matcher(code.group(1));
            if (!label.matches()) {
                continue;
            }
            List<String> examples = new ArrayList<>();
            int open = text.indexOf('(');
            if (open >= 0) {
                Matcher example = CODE.matcher(text.substring(open));
                while (example.find()) {
                    examples.add(example.group(1));
                }
            }
            labels.add(new DocumentedLabel(label.group(1), label.group(2), examples, text.contains(" only")));
        }
        return labels;
    }

    /** Label names and values on the live series of the metrics a row names (patterns with {a,b} and *). */
    private static Map<String, Set<String>> liveLabels(PrometheusClient prometheus, List<String> metrics) {
        List<String> alternatives = new ArrayList<>();
        for (String metric : metrics) {
            if (!metric.matches("[a-z_:{},*]+")) {
                continue;
            }
            alternatives.add(metric.replace("*", ".*").replace("{", "(").replace("}", ")").replace(",", "|"));
        }
        Map<String, Set<String>> labels = new TreeMap<>();
        for (JsonNode one : prometheus.query("{__name__=~\"" + String.join("|", alternatives) + "\"}")) {
            one.path("metric").fields().forEachRemaining(field -> labels.computeIfAbsent(field.getKey(), k -> new TreeSet<>())
                    .add(field.getValue().asText()));
        }
        return labels;
    }
}
