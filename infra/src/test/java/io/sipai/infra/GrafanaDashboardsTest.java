package io.sipai.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sipai.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards in infra/grafana/dashboards are importable and every query in them is valid PromQL: each
 * parses as a Grafana dashboard model (uid, title, schema version, panels with a position, a type and Prometheus
 * targets on the {@code datasource} variable), and each target's expression (Grafana's interval variables replaced)
 * passes {@code promtool check rules}. That the metrics they name are exported is checked against the running
 * platform by the launcher's PlatformSmokeTest.
 */
class GrafanaDashboardsTest {

    private static final Path DASHBOARDS = Repo.root().resolve("infra/grafana/dashboards");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyDashboardIsAGrafanaModelOnTheDatasourceVariable() throws Exception {
        List<Path> files = dashboards();
        assertThat(files).extracting(path -> path.getFileName().toString()).contains("sipai-calls.json",
                "sipai-latency.json", "sipai-kafka.json", "sipai-webhooks.json");
        Set<String> uids = new HashSet<>();
        for (Path file : files) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            String at = file.getFileName().toString();
            assertThat(uids.add(dashboard.path("uid").asText())).as(at + ": unique uid").isTrue();
            assertThat(dashboard.path("title").asText()).as(at).startsWith("sipai / ");
            assertThat(dashboard.path("schemaVersion").asInt()).as(at).isGreaterThanOrEqualTo(36);
            assertThat(dashboard.path("templating").path("list").findValuesAsText("name")).as(at)
                    .contains("datasource");
            assertThat(dashboard.path("panels").size()).as(at).isPositive();
            for (JsonNode panel : dashboard.path("panels")) {
                String where = at + " panel " + panel.path("title").asText();
                assertThat(panel.path("title").asText()).as(where).isNotBlank();
                assertThat(panel.path("type").asText()).as(where).isNotBlank();
                assertThat(panel.path("gridPos").path("w").asInt()).as(where).isBetween(1, 24);
                assertThat(panel.path("datasource").path("uid").asText()).as(where).isEqualTo("${datasource}");
                assertThat(panel.path("targets").size()).as(where).isPositive();
                panel.path("targets").forEach(target -> assertThat(target.path("expr").asText()).as(where)
                        .isNotBlank());
            }
        }
    }

    @Test
    void everyQueryIsValidPromQl(@TempDir Path dir) throws Exception {
        Tools.require("promtool", "promtool is not installed (apt-get install prometheus): dashboard queries "
                + "not checked");
        Files.writeString(dir.resolve("dashboards.yml"), rules(expressions()));

        Repo.Result check = Repo.run(dir, List.of("promtool", "check", "rules", "dashboards.yml"));

        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void givenAQueryThatIsNotPromQl_whenChecked_thenPromtoolFails(@TempDir Path dir) throws Exception {
        Tools.require("promtool", "promtool is not installed (apt-get install prometheus)");
        Files.writeString(dir.resolve("broken.yml"), rules(List.of("sum(rate(edge_barge_ins_total[5m])")));

        Repo.Result check = Repo.run(dir, List.of("promtool", "check", "rules", "broken.yml"));

        assertThat(check.exitCode()).isNotZero();
    }

    /** Every target expression of every dashboard, with Grafana's interval variables as a PromQL duration. */
    static List<String> expressions() throws Exception {
        List<String> expressions = new ArrayList<>();
        for (Path file : dashboards()) {
            for (JsonNode target : JSON.readTree(file.toFile()).findValues("targets")) {
                target.forEach(t -> expressions.add(t.path("expr").asText()
                        .replace("$__rate_interval", "5m").replace("$__interval", "1m")));
            }
        }
        return expressions;
    }

    private static List<Path> dashboards() {
        return Repo.files(DASHBOARDS, path -> path.toString().endsWith(".json"));
    }

    /** A Prometheus rule file with one recording rule per expression: what promtool parses. */
    private static String rules(List<String> expressions) throws Exception {
        StringBuilder yaml = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        for (int i = 0; i < expressions.size(); i++) {
            yaml.append("      - record: dashboard:query:").append(i).append('\n')
                    .append("        expr: ").append(JSON.writeValueAsString(expressions.get(i))).append('\n');
        }
        return yaml.toString();
    }
}
