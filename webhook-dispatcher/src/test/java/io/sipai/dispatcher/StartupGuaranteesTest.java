package io.sipai.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;

import io.sipai.dispatcher.testing.MasterKeys;
import io.sipai.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The guarantees the started webhook-dispatcher runs with, read from its real beans: the Streams application is
 * exactly-once v2 with acks=all, reads read_committed and has the configured failover session timeout, and every
 * other producer and consumer configuration the service built ({@link KafkaClients#built()}) is idempotent with
 * acks=all, or read_committed.
 */
@DirtiesContext
@SpringBootTest(classes = DispatcherApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "webhook.application-id=webhook-dispatcher-guarantees", "webhook.session-timeout=9s",
            "sipai.secrets.keys=" + MasterKeys.KEYS})
class StartupGuaranteesTest {

    @Autowired
    DispatcherStreams streams;

    @Test
    void theStreamsApplicationIsExactlyOnceV2WithAcksAllReadCommittedAndTheConfiguredSessionTimeout() {
        // given the started context
        Properties properties = streams.properties();

        // when the Streams configuration is resolved as Kafka Streams resolves it for its clients
        StreamsConfig config = new StreamsConfig(properties);
        Map<String, Object> producer = config.getProducerConfigs("guarantees-producer");
        Map<String, Object> consumer = config.getMainConsumerConfigs("webhook-dispatcher-guarantees",
                "guarantees-consumer", 0);

        // then
        assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
                .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(String.valueOf(producer.get(ProducerConfig.ACKS_CONFIG))).isIn("all", "-1");
        assertThat(String.valueOf(consumer.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG))).isEqualTo("read_committed");
        assertThat(consumer.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo(9_000);
        assertThat(consumer.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)).isEqualTo(3_000);
        KafkaClients.checkStreams(properties);
    }

    @Test
    void everyProducerIsIdempotentWithAcksAllAndEveryConsumerReadsCommitted() {
        // given the configurations the context built
        Map<String, Map<String, Object>> built = KafkaClients.built();

        // then the service's own clients are among them
        assertThat(built).containsKeys("webhook-dispatcher-attempts", "webhook-dispatcher-replay",
                "webhook-dispatcher-replay-scan", "webhook-dispatcher-replay-commands",
                "webhook-dispatcher-replay-commands-quarantine");

        // and each one is a producer or a consumer that keeps the guarantees
        built.forEach((clientId, config) -> {
            if (config.containsKey(ProducerConfig.ACKS_CONFIG)) {
                assertThat(String.valueOf(config.get(ProducerConfig.ACKS_CONFIG))).as(clientId).isIn("all", "-1");
                assertThat(String.valueOf(config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG))).as(clientId)
                        .isEqualTo("true");
            } else {
                assertThat(config.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).as(clientId)
                        .isEqualTo("read_committed");
            }
        });
    }
}
