package io.sipai.system.processors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sipai.admission.AdmissionDecision;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.quarantine.QuarantinedRecord;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import io.sipai.timeline.TimelineEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the stream processors committed, as a customer reading {@code read_committed} sees it, recorded with the
 * time each record arrived: timeline entries, admission decisions (which also complete the futures of callers
 * waiting for them), the CallEnded events admission writes, and quarantined records. One thread reads every
 * partition of the four topics from the beginning (the cluster is the scenario's own).
 */
public final class Outputs implements AutoCloseable {

    /** A record and when this test saw it ({@link System#nanoTime()}). */
    public record Seen<V>(V value, int partition, long at) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Seen<TimelineEntry>> entries = new CopyOnWriteArrayList<>();
    private final List<Seen<AdmissionDecision>> decisions = new CopyOnWriteArrayList<>();
    private final List<Seen<CallEvent>> admissionEnds = new CopyOnWriteArrayList<>();
    private final List<QuarantinedRecord> quarantined = new CopyOnWriteArrayList<>();
    private final Map<String, Long> eventsSeen = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<AdmissionDecision>> waiting = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    public Outputs(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?, ?> topic : List.of(Topics.CALL_TIMELINE_ENTRIES, Topics.CALL_ADMISSION_DECISIONS,
                Topics.CALL_EVENTS, Topics.CALL_QUARANTINE)) {
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        reader = Thread.ofPlatform().name("outputs").start(this::read);
    }

    /** A future completed by the first decision with this commandId. */
    public CompletableFuture<AdmissionDecision> decisionFor(String commandId) {
        return waiting.computeIfAbsent(commandId, id -> new CompletableFuture<>());
    }

    public List<Seen<TimelineEntry>> entries() {
        return List.copyOf(entries);
    }

    public List<Seen<AdmissionDecision>> decisions() {
        return List.copyOf(decisions);
    }

    /** The CallEnded events written by admission (EDGE_LOST, SLOT_EXPIRED). */
    public List<Seen<CallEvent>> admissionEnds() {
        return List.copyOf(admissionEnds);
    }

    /**
     * When this test first read each event from {@code call.events.v1} itself, by eventId: how soon an input becomes
     * readable, before any processing.
     */
    public Map<String, Long> eventsSeen() {
        return Map.copyOf(eventsSeen);
    }

    public List<QuarantinedRecord> quarantined() {
        return List.copyOf(quarantined);
    }

    private void read() {
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                long at = System.nanoTime();
                String topic = record.topic();
                if (topic.equals(Topics.CALL_TIMELINE_ENTRIES.name())) {
                    entries.add(new Seen<>(decode(Topics.CALL_TIMELINE_ENTRIES, record), record.partition(), at));
                } else if (topic.equals(Topics.CALL_ADMISSION_DECISIONS.name())) {
                    AdmissionDecision decision = decode(Topics.CALL_ADMISSION_DECISIONS, record);
                    decisions.add(new Seen<>(decision, record.partition(), at));
                    decisionFor(decision.getCommandId()).complete(decision);
                } else if (topic.equals(Topics.CALL_EVENTS.name())) {
                    CallEvent event = decode(Topics.CALL_EVENTS, record);
                    eventsSeen.putIfAbsent(event.getEventId(), at);
                    if (event.getPayload() instanceof CallEnded
                            && event.getSource() == io.sipai.common.EventSource.STREAM_PROCESSORS) {
                        admissionEnds.add(new Seen<>(event, record.partition(), at));
                    }
                } else {
                    quarantined.add(decode(Topics.CALL_QUARANTINE, record));
                }
            }
        }
    }

    private static <V> V decode(Topic<String, V> topic, ConsumerRecord<byte[], byte[]> record) {
        return topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
    }

    @Override
    public void close() {
        running = false;
        try {
            reader.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
