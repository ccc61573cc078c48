package io.sipai.schemas;

import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of the sipai contract with everything a client needs to use it correctly: its name, the serdes of its
 * key and value, how many partitions it is created with and how it is cleaned up.
 *
 * @param name          the topic name
 * @param keySerde      serde of the record key
 * @param valueSerde    serde of the record value
 * @param partitions    partitions at creation; fixed once created because keys are hashed over them
 * @param cleanupPolicy delete (event log) or compact (table changelog)
 * @param configs       further topic configs applied at creation (e.g. retention)
 * @param <K>           key type
 * @param <V>           value type
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions,
                          CleanupPolicy cleanupPolicy, Map<String, String> configs) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive: " + name);
        }
        configs = Map.copyOf(configs);
    }

    @Override
    public String toString() {
        return name;
    }
}
