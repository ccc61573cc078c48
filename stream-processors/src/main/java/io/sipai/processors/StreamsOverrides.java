package io.sipai.processors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.sipai.runtime.InvalidSettingException;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Parses {@code PROCESSORS_STREAMS_CONFIG}: further Kafka Streams settings for both apps, as comma-separated
 * {@code key=value} pairs, e.g. {@code num.standby.replicas=2,consumer.max.poll.records=500}. A key must be a Kafka
 * Streams setting, or a consumer, producer or admin setting (plain or with Streams' {@code consumer.},
 * {@code main.consumer.}, {@code restore.consumer.}, {@code global.consumer.}, {@code producer.}, {@code admin.}
 * prefix), or a {@code topic.} setting for internal topics; a typo fails startup instead of being ignored. What the
 * service owns itself (application id, servers, security, state directory) cannot be set here. Whether the result
 * keeps exactly-once is checked on the final configuration ({@link StreamsGuarantees}).
 */
public final class StreamsOverrides {

    /** The variable, for messages. */
    public static final String VARIABLE = "PROCESSORS_STREAMS_CONFIG";

    private static final List<String> CONSUMER_PREFIXES = List.of(StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX);
    private static final Set<String> OWNED = Set.of(StreamsConfig.APPLICATION_ID_CONFIG,
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, StreamsConfig.STATE_DIR_CONFIG, "security.protocol");

    private StreamsOverrides() {
    }

    /** The settings in {@code value} (null or blank: none), in the order given. */
    public static Map<String, Object> parse(String value) {
        Map<String, Object> settings = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return settings;
        }
        for (String pair : value.split(",")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new InvalidSettingException(VARIABLE, "'" + pair.strip() + "' is not key=value");
            }
            String key = pair.substring(0, equals).strip();
            String setting = pair.substring(equals + 1).strip();
            check(key);
            settings.put(key, setting);
        }
        return settings;
    }

    private static void check(String key) {
        String unprefixed = unprefixed(key);
        if (OWNED.contains(unprefixed) || unprefixed.startsWith("sasl.") || unprefixed.startsWith("ssl.")) {
            throw new InvalidSettingException(VARIABLE, key + " is set by the service (KAFKA_* and PROCESSORS_* "
                    + "settings), not here");
        }
        if (!known(key)) {
            throw new InvalidSettingException(VARIABLE, String.format(Locale.ROOT, "%s is not a Kafka Streams, "
                    + "consumer, producer or admin setting", key));
        }
    }

    private static boolean known(String key) {
        if (key.startsWith(StreamsConfig.TOPIC_PREFIX)) {
            return key.length() > StreamsConfig.TOPIC_PREFIX.length();
        }
        for (String prefix : CONSUMER_PREFIXES) {
            if (key.startsWith(prefix)) {
                return ConsumerConfig.configNames().contains(key.substring(prefix.length()));
            }
        }
        if (key.startsWith(StreamsConfig.PRODUCER_PREFIX)) {
            return ProducerConfig.configNames().contains(key.substring(StreamsConfig.PRODUCER_PREFIX.length()));
        }
        if (key.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
            return AdminClientConfig.configNames().contains(key.substring(
                    StreamsConfig.ADMIN_CLIENT_PREFIX.length()));
        }
        return StreamsConfig.configDef().names().contains(key) || ConsumerConfig.configNames().contains(key)
                || ProducerConfig.configNames().contains(key) || AdminClientConfig.configNames().contains(key);
    }

    private static String unprefixed(String key) {
        for (String prefix : List.of(StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
                StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX,
                StreamsConfig.ADMIN_CLIENT_PREFIX)) {
            if (key.startsWith(prefix)) {
                return key.substring(prefix.length());
            }
        }
        return key;
    }
}
