package io.sipai.system.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.AgentUtterance;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRequested;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Writes call timelines as stream-processors' timeline app does, for the calls of several tenants, and remembers
 * what it wrote so a scenario can hold the read model against it. One step of a call writes its next numbered entry
 * to {@code call.timeline-entries.v1} and its summary with the next version to {@code call.timeline.v1}, both keyed
 * by callId and acknowledged by every in-sync replica before the next step. Writing runs on a background thread at a
 * steady pace between {@link #start} and {@link #stop}; the other methods write at once, from any thread.
 */
public final class TimelineFeed implements AutoCloseable {

    /** A call as written: its tenant, latest summary version, and the entry numbers the database accepts. */
    public record WrittenCall(String callId, String tenantId, long version, List<Long> acceptedSeqs) {
    }

    /** An entry whose text PostgreSQL refuses (a NUL character), written amid the other tenants' records. */
    public record RefusedEntry(String callId, String tenantId, long seq) {
    }

    private static final int STEPS_PER_CALL = 6;

    private final KafkaProducer<byte[], byte[]> producer;
    private final List<String> tenants;
    private final Map<String, Call> calls = new LinkedHashMap<>();
    /** Every call id with its tenant, readable without waiting for a step in progress. */
    private final List<Map.Entry<String, String>> known = new CopyOnWriteArrayList<>();
    private final List<Call> open = new ArrayList<>();
    private volatile Thread writer;
    private volatile boolean running;

    private TimelineFeed(String bootstrapServers, List<String> tenants) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
        this.tenants = List.copyOf(tenants);
    }

    /** A feed for calls of these tenants, on the cluster at {@code bootstrapServers}. */
    public static TimelineFeed of(String bootstrapServers, List<String> tenants) {
        return new TimelineFeed(bootstrapServers, tenants);
    }

    /** Starts writing {@code stepsPerSecond} steps a second in the background: new calls and further steps. */
    public void start(int stepsPerSecond) {
        long pause = 1_000_000_000L / stepsPerSecond;
        running = true;
        writer = Thread.ofPlatform().daemon().name("timeline-feed").start(() -> {
            long next = System.nanoTime();
            while (running) {
                step();
                next += pause;
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
        });
    }

    /** Stops the background writing; returns once the step in progress is written (a step is never cut short). */
    public void stop() {
        running = false;
        Thread current = writer;
        if (current != null) {
            try {
                current.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Adopts a call placed through the API: its timeline goes on from here, as the processor's would. */
    public synchronized void adopt(String callId, String tenantId) {
        Call call = new Call(callId, tenantId, CallDirection.OUTBOUND, Transport.TWILIO);
        calls.put(callId, call);
        open.add(call);
        advance(call);
    }

    /** One new call on every partition: once all are projected, everything written before them is too. */
    public synchronized List<WrittenCall> sentinels() {
        List<WrittenCall> sentinels = new ArrayList<>();
        int partitions = Topics.CALL_TIMELINE.partitions();
        boolean[] taken = new boolean[partitions];
        while (sentinels.size() < partitions) {
            String callId = UUID.randomUUID().toString();
            int partition = Utils.toPositive(Utils.murmur2(callId.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (!taken[partition]) {
                taken[partition] = true;
                Call call = new Call(callId, tenants.get(sentinels.size() % tenants.size()),
                        CallDirection.INBOUND, Transport.WEBSOCKET);
                calls.put(callId, call);
                advance(call);
                sentinels.add(new WrittenCall(callId, call.tenantId, call.version, List.copyOf(call.accepted)));
            }
        }
        return sentinels;
    }

    /** The next entry of a new call of {@code tenantId} carries text PostgreSQL refuses; the call goes on. */
    public synchronized RefusedEntry refusedEntry(String tenantId) {
        Call call = new Call(UUID.randomUUID().toString(), tenantId, CallDirection.INBOUND, Transport.WEBSOCKET);
        calls.put(call.callId, call);
        advance(call);
        call.refuseNext = true;
        advance(call);
        advance(call);
        return new RefusedEntry(call.callId, tenantId, 2);
    }

    /** A copy of everything written so far. */
    public synchronized List<WrittenCall> written() {
        return calls.values().stream().map(call -> new WrittenCall(call.callId, call.tenantId, call.version,
                List.copyOf(call.accepted))).toList();
    }

    /** A call written so far, picked at random, as (callId, tenantId); null before the first. */
    public Map.Entry<String, String> anyCall() {
        return known.isEmpty() ? null : known.get(ThreadLocalRandom.current().nextInt(known.size()));
    }

    /** A new call, or the next step of one under way. */
    private synchronized void step() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (open.size() < 10 || random.nextInt(4) == 0) {
            Call call = new Call(UUID.randomUUID().toString(), tenants.get(random.nextInt(tenants.size())),
                    CallDirection.INBOUND, Transport.WEBSOCKET);
            calls.put(call.callId, call);
            open.add(call);
            advance(call);
            return;
        }
        Call call = open.get(random.nextInt(open.size()));
        advance(call);
        if (call.version >= STEPS_PER_CALL) {
            open.remove(call);
        }
    }

    /** Writes the call's next entry, then its summary with the next version. */
    private void advance(Call call) {
        long seq = call.version + 1;
        Instant now = Instant.now();
        Object payload = seq == 1 ? new CallRequested(call.direction, call.transport, "+14155550100",
                "+14155550199", Map.of()) : AgentUtterance.newBuilder().setUtteranceId(call.callId + "-u" + seq)
                .setText("reply " + seq).setInterrupted(false).setTurn((int) seq).build();
        CallEvent event = CallEvent.newBuilder().setEventId(call.callId + "-" + seq).setCallId(call.callId)
                .setTenantId(call.tenantId).setOccurredAt(now).setSource(EventSource.REALTIME_EDGE)
                .setPayload(payload).build();
        String type = payload.getClass().getSimpleName();
        boolean refused = call.refuseNext;
        call.refuseNext = false;
        send(Topics.CALL_TIMELINE_ENTRIES, call.callId, new TimelineEntry(call.callId, call.tenantId, seq,
                event.getEventId(), refused ? type + "\u0000" : type, now, event));
        send(Topics.CALL_TIMELINE, call.callId, CallTimeline.newBuilder().setCallId(call.callId)
                .setTenantId(call.tenantId).setStatus(seq == 1 ? CallStatus.REQUESTED : CallStatus.IN_PROGRESS)
                .setDirection(call.direction).setTransport(call.transport).setFrom("+14155550100")
                .setTo("+14155550199").setRequestedAt(call.requestedAt).setAgentUtterances((int) seq - 1)
                .setEntryCount(seq).setLastEventId(event.getEventId()).setLastEventAt(now).setVersion(seq).build());
        call.version = seq;
        if (!refused) {
            call.accepted.add(seq);
        }
        if (seq == 1) {
            known.add(Map.entry(call.callId, call.tenantId));
        }
    }

    private <V> void send(Topic<String, V> topic, String key, V value) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(),
                    key), topic.valueSerde().serializer().serialize(topic.name(), value))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic.name(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to " + topic.name(), e.getCause());
        }
    }

    @Override
    public void close() {
        stop();
        producer.close(Duration.ofSeconds(5));
    }

    /** What the feed knows of one call. */
    private static final class Call {
        private final String callId;
        private final String tenantId;
        private final CallDirection direction;
        private final Transport transport;
        private final Instant requestedAt = Instant.now();
        private final List<Long> accepted = new ArrayList<>();
        private long version;
        private boolean refuseNext;

        private Call(String callId, String tenantId, CallDirection direction, Transport transport) {
            this.callId = callId;
            this.tenantId = tenantId;
            this.direction = direction;
            this.transport = transport;
        }
    }
}
