package io.sipai.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.sipai.runtime.kafka.KafkaClients;
import io.sipai.testing.kafka.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The startup guard of the edge's delivery guarantees: every Kafka client the running service built (event
 * publisher, admission commands and decisions, agent directory) has them, as {@link KafkaClients} recorded the
 * final configurations: producers {@code acks=all} with idempotence, consumers {@code read_committed}.
 */
class KafkaGuaranteesTest {

    @Test
    void everyKafkaClientTheEdgeBuiltKeepsTheDeliveryGuarantees() {
        // given
        String node = "edge-guard-" + UUID.randomUUID().toString().substring(0, 8);
        // when
        try (ConfigurableApplicationContext edge = new SpringApplicationBuilder(EdgeApplication.class).run(
                "--server.port=0", "--kafka.bootstrap-servers=" + TestKafka.brokers(), "--edge.node-name=" + node,
                "--twilio.auth-token=guard-twilio-token")) {
            Map<String, Map<String, Object>> built = Map.copyOf(KafkaClients.built().entrySet().stream()
                    .filter(client -> client.getKey().contains(node))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));

            // then
            Map<String, Map<String, Object>> producers = only(built, ProducerConfig.ACKS_CONFIG);
            Map<String, Map<String, Object>> consumers = only(built, ConsumerConfig.ISOLATION_LEVEL_CONFIG);
            assertThat(producers.keySet()).containsExactlyInAnyOrder("realtime-edge-" + node,
                    "realtime-edge-" + node + "-admission");
            assertThat(consumers.keySet()).anyMatch(id -> id.startsWith("realtime-edge-" + node
                    + "-admission-decisions")).anyMatch(id -> id.contains("agent"));
            assertThat(producers.size() + consumers.size()).isEqualTo(built.size());
            producers.forEach((id, config) -> {
                assertThat(String.valueOf(config.get(ProducerConfig.ACKS_CONFIG))).as(id).isIn("all", "-1");
                assertThat(String.valueOf(config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG))).as(id)
                        .isEqualTo("true");
            });
            consumers.forEach((id, config) -> assertThat(config.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).as(id)
                    .isEqualTo("read_committed"));
        }
    }

    private static Map<String, Map<String, Object>> only(Map<String, Map<String, Object>> built, String key) {
        return Map.copyOf(built.entrySet().stream().filter(client -> client.getValue().containsKey(key))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
