package bank.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import bank.e2e.SignalTableIT.DocumentedLabel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How SignalTableIT reads the metrics table of docs/observability.md. */
class SignalTableParsingTest {

    @Test
    void aLabelCellGivesLabelsExampleValuesFixedValuesAndLabelsOnlySomeSeriesHave() {
        List<DocumentedLabel> labels = SignalTableIT.labels(
                " `type` (`credit`, `debit`), `outcome`; `service_name=\"postgresql\"`, `error_type` (failed operations only) ");

        assertThat(labels).containsExactly(
                new DocumentedLabel("type", null, List.of("credit", "debit"), false),
                new DocumentedLabel("outcome", null, List.of(), false),
                new DocumentedLabel("service_name", "postgresql", List.of(), false),
                new DocumentedLabel("error_type", null, List.of(), true));
    }

    @Test
    void theRepositorysTableHasARowPerAreaWithItsMetricsAndLabels() throws IOException {
        List<SignalTableIT.Row> rows = SignalTableIT.rows(Files.readString(Path.of("../docs/observability.md")));

        SignalTableIT.Row database = rows.stream().filter(r -> r.area().startsWith("Database client")).findFirst().orElseThrow();
        assertThat(database.metrics()).containsExactly("db_client_operation_duration_seconds_{bucket,sum,count}");
        assertThat(database.labels()).extracting(DocumentedLabel::name).contains("db_query_summary", "db_namespace")
                .doesNotContain("db_operation_name", "db_collection_name");
        assertThat(rows).extracting(SignalTableIT.Row::area).anyMatch(area -> area.startsWith("Business"))
                .anyMatch(area -> area.startsWith("JVM"));
    }
}
