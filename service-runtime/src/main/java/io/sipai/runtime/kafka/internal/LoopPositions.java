package io.sipai.runtime.kafka.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * Start offsets and catch-up state of an assigned consumer loop: the partitions of its topic (waiting until the
 * topic exists), the offsets it starts at, and whether it has handled everything up to the end offsets seen at
 * start. A grouped loop never resolves and counts as caught up.
 */
public final class LoopPositions {

    private static final Logger LOG = LoggerFactory.getLogger(LoopPositions.class);

    private final Map<TopicPartition, Long> endAtStart = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();
    private volatile boolean resolved;
    private volatile boolean caughtUp = true;

    /**
     * Reads the topic's partitions and their beginning and end offsets with a short-lived consumer.
     *
     * @param fromBeginning start at the beginning (and be caught up once the end seen now is reached), else at the
     *                      end seen now (caught up at once)
     * @param keepTrying    false once the loop was stopped
     */
    public TopicPartitionOffset[] resolve(Map<String, Object> config, String topic, boolean fromBeginning,
                                          BooleanSupplier keepTrying) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topic, keepTrying);
            Map<TopicPartition, Long> start = fromBeginning ? consumer.beginningOffsets(partitions)
                    : consumer.endOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            if (!resolved) {
                endAtStart.putAll(fromBeginning ? end : Map.of());
                resolved = true;
            }
            start.forEach(next::putIfAbsent);
            caughtUp = isCaughtUp();
            return partitions.stream().map(p -> new TopicPartitionOffset(p, next.get(p), null))
                    .toArray(TopicPartitionOffset[]::new);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic,
                                                   BooleanSupplier keepTrying) {
        while (keepTrying.getAsBoolean()) {
            try {
                List<TopicPartition> found = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(info -> new TopicPartition(topic, info.partition())).toList();
                if (!found.isEmpty()) {
                    return found;
                }
            } catch (TimeoutException e) {
                LOG.info("waiting for topic {}: {}", topic, e.getMessage());
            }
        }
        throw new IllegalStateException("stopped while waiting for topic " + topic);
    }

    /** Records that a batch was handled (or skipped). */
    public void handled(List<? extends ConsumerRecord<?, ?>> records) {
        for (ConsumerRecord<?, ?> record : records) {
            next.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        }
        if (!caughtUp) {
            caughtUp = isCaughtUp();
        }
    }

    /**
     * Records where the consumer stands (on its own thread, while idle): past the records it handled and any
     * transaction markers after them, which no record reports.
     */
    public void positioned(Consumer<?, ?> consumer) {
        for (TopicPartition partition : consumer.assignment()) {
            next.merge(partition, consumer.position(partition), Math::max);
        }
        if (!caughtUp) {
            caughtUp = isCaughtUp();
        }
    }

    /** Whether everything up to the end offsets seen at start was handled. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private boolean isCaughtUp() {
        return endAtStart.entrySet().stream().allMatch(end -> next.getOrDefault(end.getKey(), 0L) >= end.getValue());
    }
}
