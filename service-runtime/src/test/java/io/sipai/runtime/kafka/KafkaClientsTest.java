package io.sipai.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;

import io.sipai.runtime.KafkaSettings;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/** The guarantees every Kafka client configuration is held to. */
class KafkaClientsTest {

    private static final KafkaSettings KAFKA = KafkaSettings.plaintext("127.0.0.1:9");

    @Test
    void producersAreIdempotentWithAcksAllAndConsumersReadCommitted() {
        assertThat(KafkaClients.producer(KAFKA, "p", Map.of("linger.ms", 5)))
                .containsEntry("acks", "all").containsEntry("enable.idempotence", true)
                .containsEntry("linger.ms", 5).containsEntry("bootstrap.servers", "127.0.0.1:9");
        assertThat(KafkaClients.consumer(KAFKA, "c", Map.of()))
                .containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", false);
    }

    @Test
    void anOverrideThatBreaksAGuaranteeFailsNamingTheSetting() {
        assertThatThrownBy(() -> KafkaClients.producer(KAFKA, "p", Map.of("acks", "1")))
                .isInstanceOf(KafkaClients.GuaranteeViolation.class).hasMessageContaining("acks=1")
                .hasMessageContaining("must be all");
        assertThatThrownBy(() -> KafkaClients.producer(KAFKA, "p", Map.of("enable.idempotence", false)))
                .hasMessageContaining("enable.idempotence=false");
        assertThatThrownBy(() -> KafkaClients.consumer(KAFKA, "c", Map.of("isolation.level", "read_uncommitted")))
                .hasMessageContaining("isolation.level=read_uncommitted");
    }

    @Test
    void aStreamsApplicationTellsTheConfigurationItsClientRunsWithAsACopy() {
        Properties properties = StreamsApplication.properties(KAFKA, new StreamsApplication.Options("app", null,
                java.time.Duration.ofMillis(100), 1, Map.of("num.standby.replicas", 1)));
        StreamsApplication app = new StreamsApplication("app", topology(), properties);
        try {
            Properties running = app.properties();
            running.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);

            assertThat(app.properties()).isEqualTo(properties)
                    .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                    .containsEntry("num.standby.replicas", 1);
        } finally {
            app.close(java.time.Duration.ofSeconds(5));
        }
    }

    private static Topology topology() {
        Topology topology = new Topology();
        topology.addSource("in", "in");
        return topology;
    }

    @Test
    void aStreamsApplicationRefusesAtLeastOnceProcessing() {
        Properties properties = StreamsApplication.properties(KAFKA, new StreamsApplication.Options("app", null,
                java.time.Duration.ofMillis(100), 1, Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                StreamsConfig.AT_LEAST_ONCE)));
        assertThatThrownBy(() -> new StreamsApplication("app", new Topology(), properties))
                .isInstanceOf(KafkaClients.GuaranteeViolation.class)
                .hasMessageContaining("processing.guarantee=at_least_once");
    }
}
