package bank.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bank.e2e.stack.Await;
import bank.e2e.stack.LocalStack;
import bank.e2e.stack.Repository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The SQL panels of the dashboards, run as Grafana runs them (as the read-only role postgres/init creates)
 * against the service's real schema while the traffic generator fills it: each query is valid and returns
 * rows. Grafana's {@code $__timeFilter(column)} macro becomes the dashboards' default range, the last 15
 * minutes. The role reads the tables the service created after it, and can change nothing.
 */
@Order(2)
class DashboardSqlIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySqlPanelRunsAndReturnsRows() throws Exception {
        LocalStack stack = LocalStack.get();
        List<String[]> panels = sqlPanels();
        assertThat(panels).isNotEmpty();

        for (String[] panel : panels) {
            String sql = panel[1].replaceAll("\\$__timeFilter\\(([^)]+)\\)", "$1 BETWEEN now() - interval '15 minutes' AND now()");
            Await.untilTrue("rows for the SQL panel \"" + panel[0] + "\"", Duration.ofSeconds(60), () -> rows(stack, sql) > 0);
        }
    }

    @Test
    void grafanasRoleCanReadButNeitherWriteNorHoldTheDatabase() throws Exception {
        try (Connection connection = LocalStack.get().grafanaReaderConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet settings = statement.executeQuery("SELECT current_setting('transaction_read_only'),"
                    + " current_setting('statement_timeout')")) {
                settings.next();
                assertThat(settings.getString(1)).isEqualTo("on");
                assertThat(settings.getString(2)).isEqualTo("10s");
            }
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE accounts SET balance = balance + 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
        }
    }

    private static long rows(LocalStack stack, String sql) {
        try (Connection connection = stack.grafanaReaderConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            long count = 0;
            while (rows.next()) {
                count++;
            }
            return count;
        } catch (SQLException e) {
            throw new AssertionError("SQL panel query failed: " + sql, e);
        }
    }

    /** Title and SQL of every panel target on the {@code postgres} data source. */
    private static List<String[]> sqlPanels() throws IOException {
        List<String[]> panels = new ArrayList<>();
        try (Stream<Path> dashboards = Files.list(Repository.file("grafana/dashboards"))) {
            for (Path dashboard : dashboards.filter(p -> p.toString().endsWith(".json")).toList()) {
                for (JsonNode panel : JSON.readTree(dashboard.toFile()).path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        if (target.path("datasource").path("uid").asText().equals("postgres")) {
                            panels.add(new String[] {panel.path("title").asText(), target.path("rawSql").asText()});
                        }
                    }
                }
            }
        }
        return panels;
    }
}
