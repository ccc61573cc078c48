package io.sipai.edge.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.config.AgentConfig;
import io.sipai.config.BargeInSettings;
import io.sipai.config.EndpointingSettings;
import io.sipai.config.ProviderSettings;
import io.sipai.runtime.KafkaSettings;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent directory on the JVM's real broker: catch-up readiness, version order, deletions, unreadable records. */
class AgentDirectoryTest {

    private AgentDirectory directory;

    @AfterEach
    void stop() {
        if (directory != null) {
            directory.stop();
        }
    }

    private static AgentConfig agent(String agentId, long version, boolean deleted) {
        ProviderSettings offline = ProviderSettings.newBuilder().setProvider("offline").build();
        return AgentConfig.newBuilder().setAgentId(agentId).setTenantId("acme").setVersion(version)
                .setUpdatedAt(Instant.now()).setName("v" + version).setAsr(offline).setLlm(offline).setTts(offline)
                .setBargeIn(BargeInSettings.newBuilder().build())
                .setEndpointing(EndpointingSettings.newBuilder().build()).setDeleted(deleted).build();
    }

    private static void publish(String agentId, AgentConfig... versions) {
        TestKafka.produce(Topics.AGENT_CONFIG, agentId, Arrays.asList(versions));
    }

    private static void publishRaw(String agentId, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            producer.send(new ProducerRecord<>(Topics.AGENT_CONFIG.name(), agentId.getBytes(StandardCharsets.UTF_8),
                    value)).get();
        }
    }

    private AgentDirectory started() {
        directory = new AgentDirectory(KafkaSettings.plaintext(TestKafka.brokers()), "agents-test-"
                + UUID.randomUUID(), new SimpleMeterRegistry());
        directory.start();
        return directory;
    }

    @Test
    void givenAgentsOnTheTopic_whenTheDirectoryCaughtUp_thenItIsReadyWithTheNewestVersionsAndWithoutDeletedOnes()
            throws Exception {
        TestKafka.ensureTopics();
        String kept = "kept-" + UUID.randomUUID();
        String deleted = "deleted-" + UUID.randomUUID();
        String tombstoned = "tombstoned-" + UUID.randomUUID();
        publish(kept, agent(kept, 2, false), agent(kept, 1, false));
        publish(deleted, agent(deleted, 1, false), agent(deleted, 2, true));
        publish(tombstoned, agent(tombstoned, 1, false), null);
        publishRaw("unreadable-" + UUID.randomUUID(), "not avro".getBytes(StandardCharsets.UTF_8));

        AgentDirectory agents = started();

        await().atMost(Duration.ofSeconds(30)).until(agents::ready);
        assertThat(agents.alive()).isTrue();
        assertThat(agents.find(kept)).hasValueSatisfying(config -> assertThat(config.getVersion()).isEqualTo(2));
        assertThat(agents.find(deleted)).isEmpty();
        assertThat(agents.find(tombstoned)).isEmpty();
    }

    @Test
    void givenARunningDirectory_whenAnAgentChanges_thenTheChangeIsSeenLive() {
        TestKafka.ensureTopics();
        String agentId = "live-" + UUID.randomUUID();
        AgentDirectory agents = started();
        await().atMost(Duration.ofSeconds(30)).until(agents::ready);

        publish(agentId, agent(agentId, 1, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> agents.find(agentId).isPresent());
        publish(agentId, agent(agentId, 2, false));

        await().atMost(Duration.ofSeconds(10)).until(() -> agents.find(agentId).orElseThrow().getVersion() == 2);
        assertThat(agents.find(null)).isEmpty();
    }
}
