package io.sipai.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** infra/compose/compose.yaml: pinned images, KRaft broker, topic-init job, ordered start with health checks. */
class ComposeFileTest {

    /** SnakeYAML resolves the anchors and merge keys (x-service) the way Docker Compose does. */
    private static final JsonNode COMPOSE = new ObjectMapper().valueToTree(
            new Yaml().<Object>load(Repo.read(Repo.infra().resolve("compose/compose.yaml"))));
    private static final List<String> SERVICES = List.of("api-gateway", "realtime-edge", "webhook-dispatcher", "stream-processors");

    @Test
    void kafkaAndPostgresUseOfficialImagesPinnedToVersions() {
        JsonNode services = COMPOSE.get("services");

        assertThat(services.get("kafka").get("image").asString()).matches("apache/kafka:\\d+\\.\\d+\\.\\d+");
        assertThat(services.get("kafka").get("environment").get("KAFKA_PROCESS_ROLES").asString()).isEqualTo("broker,controller");
        assertThat(services.get("postgres").get("image").asString()).matches("postgres:\\d+\\.\\d+.*");
        assertThat(services.get("kafka").has("healthcheck")).isTrue();
        assertThat(services.get("postgres").has("healthcheck")).isTrue();
    }

    @Test
    void topicInitRunsTheLauncherCreateTopicsOnceKafkaIsHealthy() {
        JsonNode init = COMPOSE.get("services").get("topic-init");

        assertThat(init.get("build").get("dockerfile").asString()).isEqualTo("infra/docker/launcher.Dockerfile");
        assertThat(init.get("command").get(0).asString()).isEqualTo("create-topics");
        assertThat(init.get("depends_on").get("kafka").get("condition").asString()).isEqualTo("service_healthy");
    }

    @Test
    void everyServiceWaitsForItsDependenciesAndHasAHealthcheckAndNoLiteralSecrets() {
        for (String name : SERVICES) {
            JsonNode service = COMPOSE.get("services").get(name);
            assertThat(service).as(name).isNotNull();
            JsonNode depends = service.get("depends_on");
            assertThat(depends.get("topic-init").get("condition").asString()).isEqualTo("service_completed_successfully");
            assertThat(depends.get("kafka").get("condition").asString()).isEqualTo("service_healthy");
            assertThat(depends.get("postgres").get("condition").asString()).isEqualTo("service_healthy");
            assertThat(service.get("healthcheck").get("test").toString()).contains("/health");
            assertThat(service.get("read_only").asBoolean()).isTrue();
            service.get("environment").properties().forEach(e -> {
                if (Set.of("REALTIME_API_KEY", "REALTIME_WS_SECRET", "TELEPHONY_TOKEN_SECRET", "OPENAI_API_KEY", "TWILIO_AUTH_TOKEN",
                        "DEEPGRAM_API_KEY", "JAMBONZ_TOKEN", "SIPAI_ADMIN_API_KEY", "SIPAI_SECRETS_KEYS").contains(e.getKey())) {
                    assertThat(e.getValue().asString()).as(name + " " + e.getKey()).startsWith("${");
                }
            });
        }
    }

    @Test
    void onlyTheGatewayAndTheDispatcherGetTheMasterKeysOfSecretsAtRest() {
        for (String name : SERVICES) {
            boolean holds = COMPOSE.get("services").get(name).get("environment").has("SIPAI_SECRETS_KEYS");
            assertThat(holds).as(name).isEqualTo(name.equals("api-gateway") || name.equals("webhook-dispatcher"));
        }
    }
}
