package io.sipai.runtime;

import java.util.Arrays;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a service reaches Kafka.
 *
 * @param bootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}: comma-separated {@code host:port} list (required)
 * @param replicationFactor {@code KAFKA_REPLICATION_FACTOR}: replication of topics this service creates; 1 on a
 *                          single local broker, 3 in production (default 1)
 */
@ConfigurationProperties("kafka")
public record KafkaSettings(String bootstrapServers, Integer replicationFactor) {

    public KafkaSettings {
        if (bootstrapServers == null) {
            throw new InvalidSettingException("KAFKA_BOOTSTRAP_SERVERS", "is not set; expected host:port[,host:port]");
        }
        if (bootstrapServers.isBlank()) {
            throw new InvalidSettingException("KAFKA_BOOTSTRAP_SERVERS", "is empty; expected host:port[,host:port]");
        }
        for (String server : bootstrapServers.split(",")) {
            if (!server.strip().matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
                throw new InvalidSettingException("KAFKA_BOOTSTRAP_SERVERS",
                        "'" + server.strip() + "' is not host:port");
            }
        }
        replicationFactor = replicationFactor == null ? 1 : replicationFactor;
        if (replicationFactor < 1 || replicationFactor > 7) {
            throw new InvalidSettingException("KAFKA_REPLICATION_FACTOR", "must be between 1 and 7, was "
                    + replicationFactor);
        }
    }

    /** The servers as a list, trimmed. */
    public List<String> servers() {
        return Arrays.stream(bootstrapServers.split(",")).map(String::strip).toList();
    }
}
