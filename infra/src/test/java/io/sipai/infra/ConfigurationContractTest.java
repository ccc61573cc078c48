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
        assertThat(contract).filteredOn(setting -> !setting.requiredBy().isEmpty())
                .extracting(setting -> setting.name() + " " + setting.requiredBy())
                .contains("KAFKA_BOOTSTRAP_SERVERS [api-gateway, realtime-edge, stream-processors, webhook-dispatcher]",
                        "DB_URL [api-gateway]", "SIPAI_SECRETS_KEYS [api-gateway, webhook-dispatcher]",
                        "TELEPHONY_TOKEN_SECRET [api-gateway, realtime-edge]",
                        "WEBHOOK_API_BASE_URL [webhook-dispatcher]");
        assertThat(contract).extracting(setting -> setting.name() + " " + setting.shape())
                .contains("KAFKA_BOOTSTRAP_SERVERS host:port list", "REALTIME_WS_URL url",
                        "PROCESSORS_SESSION_TIMEOUT_MS integer", "WEBHOOK_SESSION_TIMEOUT duration",
                        "EDGE_TWILIO_ENABLED boolean", "PROCESSORS_APPLICATION_ID_PREFIX text");

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
                (compose, Kubernetes, Terraform, the deploy workflow) are checked against it by `DeployTargetsTest`
                and `SettingsContractTargetsTest`: every required setting given to each service that needs it,
                values of the declared shape, nothing that no service reads, secrets only from a secret store.
                "Required by" names the services a deployment must give it to (their javadoc says so); a shape
                comes from the setting's Java type and its name. Do not edit: change the settings code and run
                `./mvnw -pl infra test -Dtest=ConfigurationContractTest -Dsipai.docs.write=true`.

                | Variable | Read by | Required by | Shape | Secret | What it does |
                |---|---|---|---|---|---|
                """);
        for (ServiceSettings.Setting setting : contract) {
            md.append("| `").append(setting.name()).append("` | ").append(String.join(", ", setting.services()))
                    .append(" | ").append(String.join(", ", setting.requiredBy())).append(" | ")
                    .append(setting.shape()).append(" | ").append(setting.secret() ? "yes" : "").append(" | ")
                    .append(setting.description().replace("|", "\\|")).append(" |\n");
        }
        return md.toString();
    }
}
