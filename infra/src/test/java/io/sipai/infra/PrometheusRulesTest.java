package io.sipai.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.sipai.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert rules are valid and fire as their unit tests say (promtool). */
class PrometheusRulesTest {

    private static final Path RULES = Repo.root().resolve("infra/prometheus");
    private static final String NO_PROMTOOL = "promtool is not installed (apt-get install prometheus): "
            + "alert rules not checked";

    @Test
    void theAlertRulesAreValidAndPassTheirUnitTests() {
        Tools.require("promtool", NO_PROMTOOL);

        Repo.Result check = Repo.run(RULES, List.of("promtool", "check", "rules", "sipai-alerts.yml"));
        Repo.Result test = Repo.run(RULES, List.of("promtool", "test", "rules", "sipai-alerts.test.yml"));

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(test.exitCode()).as(test.output()).isZero();
    }

    @Test
    void givenARuleWhoseAlertDoesNotFireAsTested_whenUnitTested_thenPromtoolFails(@TempDir Path dir)
            throws Exception {
        Tools.require("promtool", NO_PROMTOOL);
        Files.copy(RULES.resolve("sipai-alerts.yml"), dir.resolve("sipai-alerts.yml"));
        Files.writeString(dir.resolve("broken.test.yml"), Files.readString(RULES.resolve("sipai-alerts.test.yml"))
                .replace("values: '0 0 0 5 5 5 5 5 5 5 5'", "values: '0x10'"));

        Repo.Result test = Repo.run(dir, List.of("promtool", "test", "rules", "broken.test.yml"));

        assertThat(test.exitCode()).isNotZero();
        assertThat(test.output()).contains("SipaiEdgeEventsDropped");
    }
}
