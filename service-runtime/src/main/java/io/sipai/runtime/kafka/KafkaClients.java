package io.sipai.runtime.kafka;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import io.sipai.runtime.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one place Kafka client configurations are made, on top of {@link KafkaSettings#clientConfig()} (connection
 * and security). What sipai's guarantees rest on is set here and checked again on the final configuration, so a
 * service cannot start with settings that break them: producers {@code acks=all} with idempotence, consumers of
 * transactional topics {@code read_committed}, Streams {@code exactly_once_v2} with {@code acks=all}. A broken
 * guarantee fails startup with {@link GuaranteeViolation}, naming the setting.
 */
public final class KafkaClients {

    /** Every configuration built in this JVM, by client id, so a test can check what the real beans run with. */
    private static final Map<String, Map<String, Object>> BUILT = new java.util.concurrent.ConcurrentHashMap<>();

    private KafkaClients() {
    }

    /** The producer and consumer configurations built in this JVM so far, by client id (a snapshot). */
    public static Map<String, Map<String, Object>> built() {
        return Map.copyOf(BUILT);
    }

    /** An idempotent, {@code acks=all} producer configuration; {@code overrides} tune it (linger, batching). */
    public static Map<String, Object> producer(KafkaSettings kafka, String clientId, Map<String, ?> overrides) {
        return producer(kafka.clientConfig(), clientId, overrides);
    }

    /** {@link #producer(KafkaSettings, String, Map)} on a service's {@link KafkaSettings#clientConfig()}. */
    public static Map<String, Object> producer(Map<String, Object> clientConfig, String clientId,
                                               Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putAll(overrides);
        checkProducer(config);
        BUILT.put(clientId, Map.copyOf(config));
        return config;
    }

    /** A {@code read_committed} consumer configuration without auto-commit; {@code overrides} tune it. */
    public static Map<String, Object> consumer(KafkaSettings kafka, String clientId, Map<String, ?> overrides) {
        return consumer(kafka.clientConfig(), clientId, overrides);
    }

    /** {@link #consumer(KafkaSettings, String, Map)} on a service's {@link KafkaSettings#clientConfig()}. */
    public static Map<String, Object> consumer(Map<String, Object> clientConfig, String clientId,
                                               Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putAll(overrides);
        checkConsumer(config);
        BUILT.put(clientId, Map.copyOf(config));
        return config;
    }

    /** Fails when a producer configuration could lose or duplicate a record. */
    public static void checkProducer(Map<String, ?> config) {
        require(config, ProducerConfig.ACKS_CONFIG, "all", "-1");
        require(config, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    }

    /** Fails when a consumer configuration could read aborted or open transactions. */
    public static void checkConsumer(Map<String, ?> config) {
        require(config, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    /** Fails when a Streams configuration is not exactly-once v2 with {@code acks=all}. */
    public static void checkStreams(Properties config) {
        Map<String, Object> map = new HashMap<>();
        config.forEach((key, value) -> map.put(String.valueOf(key), value));
        require(map, StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        String acks = StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG);
        if (map.containsKey(acks)) {
            require(map, acks, "all", "-1");
        }
    }

    private static void require(Map<String, ?> config, String key, String... allowed) {
        String actual = Objects.toString(config.get(key), null);
        for (String value : allowed) {
            if (value.equalsIgnoreCase(actual)) {
                return;
            }
        }
        throw new GuaranteeViolation(key, actual, allowed[0]);
    }

    /** A Kafka setting that breaks a delivery guarantee. */
    public static final class GuaranteeViolation extends IllegalStateException {

        GuaranteeViolation(String key, String actual, String required) {
            super(String.format(Locale.ROOT, "Kafka setting %s=%s breaks sipai's delivery guarantees; it must be %s",
                    key, actual, required));
        }
    }
}
