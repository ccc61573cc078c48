package io.sipai.processors;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.sipai.runtime.InvalidSettingException;
import io.sipai.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Checks a Streams application's final configuration the way its clients will see it, before anything starts:
 * {@code exactly_once_v2} with {@code acks=all} ({@link KafkaClients#checkStreams}), and the producer and consumer
 * configurations Kafka Streams derives from it idempotent with {@code acks=all}, and {@code read_committed} for the
 * main, restore and global consumers. Only {@code PROCESSORS_STREAMS_CONFIG} can change these, so a failure is
 * reported as a bad value of that variable: one line at startup, naming it.
 */
public final class StreamsGuarantees {

    private static final Map<String, String> REQUIRED = Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");

    private StreamsGuarantees() {
    }

    /** Fails with an {@link InvalidSettingException} naming {@code PROCESSORS_STREAMS_CONFIG} on a broken guarantee. */
    public static void check(Properties properties) {
        // Kafka Streams quietly replaces these under exactly-once; refuse them rather than let an operator believe
        // a setting applies that does not.
        properties.forEach((key, value) -> {
            String name = String.valueOf(key);
            REQUIRED.forEach((setting, required) -> {
                if ((name.equals(setting) || name.endsWith("." + setting))
                        && !required.equalsIgnoreCase(String.valueOf(value))) {
                    throw new InvalidSettingException(StreamsOverrides.VARIABLE, String.format(Locale.ROOT,
                            "Kafka setting %s=%s breaks sipai's delivery guarantees; it must be %s", name, value,
                            required));
                }
            });
        });
        try {
            KafkaClients.checkStreams(properties);
            StreamsConfig config = new StreamsConfig(properties);
            Map<String, Object> producer = config.getProducerConfigs("guarantee-check");
            KafkaClients.checkProducer(producer);
            KafkaClients.checkConsumer(config.getMainConsumerConfigs("guarantee-check", "guarantee-check", 0));
            KafkaClients.checkConsumer(config.getRestoreConsumerConfigs("guarantee-check"));
            KafkaClients.checkConsumer(config.getGlobalConsumerConfigs("guarantee-check"));
        } catch (KafkaClients.GuaranteeViolation | ConfigException e) {
            throw new InvalidSettingException(StreamsOverrides.VARIABLE, e.getMessage());
        }
    }
}
