package io.sipai.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration contract, generated from the services' settings code ({@link ServiceSettings#contract()}):
 * {@code docs/configuration.json} for tools and {@code docs/configuration.md} for people. Both must equal what the
 * code says today; {@code -Dsipai.docs.write=true} rewrites them.
 */
class ConfigurationContractTest {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Test
    void theCheckedInContractIsTheOneTheSettingsCodeDeclares() throws IOException {
        List<ServiceSettings.Setting> contract = ServiceSettings.contract();
        assertThat(contract).extracting(ServiceSettings.Setting::name)
                .contains("KAFKA_BOOTSTRAP_SERVERS", "TELEPHONY_TOKEN_SECRET", "REALTIME_WS_URL");
        assertThat(contract).filteredOn(ServiceSettings.Setting::secret).extracting(ServiceSettings.Setting::name)
                .contains("DB_PASSWORD", "TELEPHONY_TOKEN_SECRET", "KAFKA_SASL_PASSWORD")
                .doesNotContain("REALTIME_WS_URL", "TWILIO_ACCOUNT_SID");

        check(Repo.root().resolve("docs/configuration.json"), JSON.writeValueAsString(contract) + "\n");
        check(Repo.root().resolve("docs/configuration.md"), markdown(contract));
    }

    private static void check(Path file, String generated) throws IOException {
        if (Boolean.getBoolean("sipai.docs.write")) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "")
                .as(file + " is generated: run ./mvnw -pl infra test -Dtest=ConfigurationContractTest "
                        + "-Dsipai.docs.write=true").isEqualTo(generated);
    }

    static String markdown(List<ServiceSettings.Setting> contract) {
        StringBuilder md = new StringBuilder("""
                # Configuration

                Every environment variable a service reads, generated from the services' settings code (the
                `@ConfigurationProperties` records' javadoc, `${NAME:default}` placeholders) by the infra module's
                `ConfigurationContractTest`; `docs/configuration.json` holds the same for tools. The deploy targets
                (compose, Kubernetes, Terraform, the deploy workflow) are checked against it by `DeployTargetsTest`:
                nothing that no service reads, secrets only from a secret store, the per-call token secret wherever
                it is needed. Do not edit: change the settings code and run
                `./mvnw -pl infra test -Dtest=ConfigurationContractTest -Dsipai.docs.write=true`.

                | Variable | Read by | Secret | What it does |
                |---|---|---|---|
                """);
        for (ServiceSettings.Setting setting : contract) {
            md.append("| `").append(setting.name()).append("` | ").append(String.join(", ", setting.services()))
                    .append(" | ").append(setting.secret() ? "yes" : "").append(" | ")
                    .append(setting.description().replace("|", "\\|")).append(" |\n");
        }
        return md.toString();
    }
}
