package io.sipai.system.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.sipai.common.AdmissionCounters;
import io.sipai.common.EndReason;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallEvent;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import io.sipai.timeline.TimelineEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Call traffic as realtime-edge and admission write it, for failure scenarios: {@code concurrent} calls at a time,
 * each CallRequested, CallAdmitted, CallStarted, {@value #DIGITS} DtmfReceived and CallEnded on
 * {@code call.events.v1}, written by an idempotent {@code acks=all} producer that waits out an outage (a send blocks
 * and retries for up to two minutes). It remembers which events the cluster acknowledged, and {@link #verify} checks
 * afterwards that none is missing and that every call whose events were all acknowledged has a complete timeline.
 */
public final class CallTraffic implements AutoCloseable {

    static final int DIGITS = 30;
    private static final String TENANT = "traffic";

    private final String bootstrapServers;
    private final KafkaProducer<String, CallEvent> producer;
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, List<String>> sentByCall = new ConcurrentHashMap<>();
    private final Set<String> failedCalls = ConcurrentHashMap.newKeySet();
    private final AtomicLong acked = new AtomicLong();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final Thread sender;
    private volatile boolean running = true;

    private CallTraffic(String bootstrapServers, int concurrent) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000), new StringSerializer(),
                Topics.CALL_EVENTS.valueSerde().serializer());
        this.sender = Thread.ofPlatform().name("call-traffic").start(() -> run(concurrent));
    }

    /** Starts writing calls, {@code concurrent} at a time. */
    public static CallTraffic start(String bootstrapServers, int concurrent) {
        return new CallTraffic(bootstrapServers, concurrent);
    }

    /** Events acknowledged so far. */
    public long acknowledged() {
        return acked.get();
    }

    /** Waits until at least {@code count} events were acknowledged. */
    public void awaitAcknowledged(long count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acked.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acked.get() + " of " + count + " events acknowledged within "
                        + timeout + (errors.isEmpty() ? "" : "; errors: " + errors.subList(0, 1)));
            }
            sleep(100);
        }
    }

    private void run(int concurrent) {
        List<Call> calls = new ArrayList<>();
        while (running) {
            while (calls.size() < concurrent) {
                calls.add(new Call("traffic-" + UUID.randomUUID()));
            }
            for (Call call : List.copyOf(calls)) {
                send(call.next());
                if (call.done()) {
                    calls.remove(call);
                }
            }
            sleep(40);
        }
    }

    private void send(CallEvent event) {
        sentByCall.computeIfAbsent(event.getCallId(), id -> new CopyOnWriteArrayList<>()).add(event.getEventId());
        try {
            producer.send(new ProducerRecord<>(Topics.CALL_EVENTS.name(), event.getCallId(), event),
                    (metadata, error) -> {
                        if (error == null) {
                            acknowledged.put(event.getEventId(), event.getCallId());
                            acked.incrementAndGet();
                        } else {
                            failedCalls.add(event.getCallId());
                            errors.add(error);
                        }
                    });
        } catch (RuntimeException e) {
            failedCalls.add(event.getCallId());
            errors.add(e);
        }
    }

    /** Stops sending and waits until every send was answered. */
    @Override
    public void close() {
        running = false;
        try {
            sender.join(Duration.ofSeconds(150));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
        producer.close(Duration.ofSeconds(30));
    }

    /** What the cluster kept of the acknowledged traffic. */
    public record Verification(long acknowledged, Set<String> missingEvents, int completeTimelines,
                               Map<String, String> incompleteTimelines) {
    }

    /**
     * Reads {@code call.events.v1} and {@code call.timeline-entries.v1} (read_committed) and compares them with what
     * was acknowledged; waits up to {@code timeout} for the timelines to catch up. Call after {@link #close()}.
     */
    public Verification verify(Duration timeout) {
        Set<String> present = new HashSet<>();
        readAll(Topics.CALL_EVENTS, record -> present.add(record.getEventId()));
        Set<String> missing = new HashSet<>(acknowledged.keySet());
        missing.removeAll(present);
        Map<String, String> incomplete = Map.of();
        long deadline = System.nanoTime() + timeout.toNanos();
        int complete = 0;
        while (System.nanoTime() < deadline) {
            Map<String, List<TimelineEntry>> entries = new HashMap<>();
            readAll(Topics.CALL_TIMELINE_ENTRIES, entry -> entries.computeIfAbsent(entry.getCallId(),
                    id -> new ArrayList<>()).add(entry));
            incomplete = incompleteTimelines(entries);
            complete = (int) sentByCall.keySet().stream().filter(id -> !failedCalls.contains(id)).count()
                    - incomplete.size();
            if (incomplete.isEmpty()) {
                break;
            }
            sleep(2_000);
        }
        return new Verification(acked.get(), missing, complete, incomplete);
    }

    private Map<String, String> incompleteTimelines(Map<String, List<TimelineEntry>> entries) {
        Map<String, String> incomplete = new HashMap<>();
        for (Map.Entry<String, List<String>> call : sentByCall.entrySet()) {
            if (failedCalls.contains(call.getKey())) {
                continue;
            }
            List<TimelineEntry> timeline = entries.getOrDefault(call.getKey(), List.of());
            List<String> eventIds = timeline.stream().map(TimelineEntry::getEventId).toList();
            for (int i = 0; i < timeline.size(); i++) {
                if (timeline.get(i).getSeq() != i + 1) {
                    incomplete.put(call.getKey(), "seq " + timeline.get(i).getSeq() + " at position " + (i + 1));
                }
            }
            if (!eventIds.equals(call.getValue())) {
                incomplete.putIfAbsent(call.getKey(), eventIds.size() + " of " + call.getValue().size()
                        + " events applied, or not in the order written");
            }
        }
        return incomplete;
    }

    private <V> void readAll(Topic<String, V> topic, java.util.function.Consumer<V> sink) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        sink.accept(topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
                    }
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One synthetic call: the events it writes, in order. */
    private static final class Call {
        private final String callId;
        private int step;

        Call(String callId) {
            this.callId = callId;
        }

        CallEvent next() {
            Object payload = switch (step) {
                case 0 -> Events.requested();
                case 1 -> CallAdmitted.newBuilder().setCounters(new AdmissionCounters(1, 10_000, 1, 200, null, null))
                        .setLeaseExpiresAt(Instant.now().plusSeconds(600)).build();
                case 2 -> Events.started();
                default -> step < 3 + DIGITS ? Events.dtmf(String.valueOf(step % 10))
                        : Events.ended(EndReason.CALLER_HANGUP);
            };
            step++;
            return Events.eventNow(callId, TENANT, payload);
        }

        boolean done() {
            return step >= 4 + DIGITS;
        }
    }
}
