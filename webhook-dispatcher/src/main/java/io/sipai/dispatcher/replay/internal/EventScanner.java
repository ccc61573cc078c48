package io.sipai.dispatcher.replay.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.sipai.events.CallEvent;
import io.sipai.schemas.Topics;
import io.sipai.timeline.TimelineEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the events of call.timeline-entries.v1 (the events the timelines accepted, the fan-out's input) from a point
 * in time (or the beginning) up to the end offsets seen at the start of the scan, with a group-less consumer, for
 * replays. Records are positioned by their Kafka timestamp (an entry keeps its event's record timestamp), which may
 * trail occurredAt, so the scan starts {@link #SLACK} early and the caller filters by occurredAt.
 */
public final class EventScanner {

    /** How much earlier than the requested start the scan begins. */
    public static final Duration SLACK = Duration.ofHours(1);

    private final Supplier<org.apache.kafka.clients.consumer.Consumer<String, TimelineEntry>> consumers;

    /** @param consumers creates an unsubscribed consumer of call.timeline-entries.v1 (read_committed, no group) */
    public EventScanner(Supplier<org.apache.kafka.clients.consumer.Consumer<String, TimelineEntry>> consumers) {
        this.consumers = consumers;
    }

    /** Passes every event from {@code from} (null: the beginning) to the current end to {@code sink}. */
    public void scan(Instant from, Consumer<CallEvent> sink) {
        try (org.apache.kafka.clients.consumer.Consumer<String, TimelineEntry> consumer = consumers.get()) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.CALL_TIMELINE_ENTRIES.name());
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            seek(consumer, partitions, from);
            Map<TopicPartition, Long> remaining = new HashMap<>(end);
            remaining.entrySet().removeIf(entry -> consumer.position(entry.getKey()) >= entry.getValue());
            while (!remaining.isEmpty()) {
                for (ConsumerRecord<String, TimelineEntry> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    Long stop = end.get(partition);
                    if (record.offset() < stop && record.value() != null && record.value().getEvent() != null) {
                        sink.accept(record.value().getEvent());
                    }
                }
                remaining.entrySet().removeIf(entry -> consumer.position(entry.getKey()) >= entry.getValue());
            }
        }
    }

    private static void seek(org.apache.kafka.clients.consumer.Consumer<String, TimelineEntry> consumer,
                             List<TopicPartition> partitions, Instant from) {
        if (from == null) {
            consumer.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        long start = from.minus(SLACK).toEpochMilli();
        partitions.forEach(partition -> query.put(partition, Math.max(0, start)));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp found = offsets.get(partition);
            consumer.seek(partition, found == null ? end.get(partition) : found.offset());
        }
    }
}
