package io.sipai.gateway.limits.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.sipai.admission.AdmissionCounter;
import io.sipai.runtime.kafka.ConsumerLoop;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;



/**
 * The latest admission counter of every key ({@code global}, {@code tenant:<id>}, {@code campaign:<id>}), as the
 * admission processor publishes them on {@code admission.counters.v1}: every gateway instance reads the whole
 * compacted topic from its beginning (an assigned loop, read_committed), so any instance answers for any tenant. A
 * record it cannot decode is skipped with a warning (the next change of that counter replaces it).
 */
@Component
public class CounterTable implements ConsumerLoop.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(CounterTable.class);

    private final Map<String, AdmissionCounter> counters = new ConcurrentHashMap<>();
    private final Deserializer<AdmissionCounter> values = Topics.ADMISSION_COUNTERS.valueSerde().deserializer();

    @Override
    public void handle(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.key() == null) {
                continue;
            }
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                counters.remove(key);
                continue;
            }
            try {
                counters.put(key, values.deserialize(record.topic(), record.value()));
            } catch (SerializationException e) {
                LOG.warn("admission counter {} at offset {} is not decodable: {}", key, record.offset(),
                        e.getMessage());
            }
        }
    }

    /** The latest counter of {@code key}, if admission has published one. */
    Optional<AdmissionCounter> get(String key) {
        return Optional.ofNullable(counters.get(key));
    }
}
