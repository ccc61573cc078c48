package io.sipai.testing.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.admission.Heartbeat;
import io.sipai.admission.Rejected;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.AdmissionCounters;
import io.sipai.common.AdmissionLimit;
import io.sipai.common.EventSource;
import io.sipai.common.MediaClaim;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRejected;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Stand-in for the admission processor (another module) in the services' tests: consumes {@code call.admission.v1}
 * from the JVM's real broker and answers every AcquireSlot on {@code call.admission-decisions.v1}: Rejected with the
 * configured limit for tenants in {@link #REJECT}, no answer for tenants in {@link #SILENT}, no answer yet for
 * tenants in {@link #HELD} (an admission that is down and comes back: {@link #answerHeld} grants what they asked for
 * meanwhile, in order), Granted otherwise. Like
 * the real processor it writes the decision and the call's CallAdmitted/CallRejected on {@code call.events.v1} in
 * one transaction, so tests see where admission's event lands relative to a service's own. Heartbeats of the calls
 * in {@link #LOST} are answered {@code Rejected(ALREADY_RELEASED)}, as the processor answers a heartbeat for a slot
 * it no longer holds; other heartbeats get no answer. Records every command, and tells whether a call's slot is
 * still held as the real processor would count it ({@link #slotHeld}). Media claims (realtime-edge's single use of
 * per-call tokens) are answered as the processor answers them, the first claim of a call winning, except for tenants
 * in {@link #SILENT}.
 */
public final class AdmissionResponder {

    /** Tenant id to the limit that rejects its calls. */
    public static final Map<String, AdmissionLimit> REJECT = new ConcurrentHashMap<>();
    /** Tenants whose requests get no answer. */
    public static final Set<String> SILENT = ConcurrentHashMap.newKeySet();
    /** Calls whose heartbeats are answered as for a slot admission no longer holds. */
    public static final Set<String> LOST = ConcurrentHashMap.newKeySet();
    /** Tenants whose requests are held unanswered until {@link #answerHeld} (admission down, then back). */
    public static final Set<String> HELD = ConcurrentHashMap.newKeySet();
    /** Every command seen, in order. */
    public static final List<AdmissionCommand> SEEN = new CopyOnWriteArrayList<>();

    private static final List<AdmissionCommand> HELD_REQUESTS = new CopyOnWriteArrayList<>();
    private static final Queue<String> COMING_BACK = new ConcurrentLinkedQueue<>();
    private static final Set<String> GRANTED = ConcurrentHashMap.newKeySet();
    private static final Map<String, MediaClaim> CLAIMS = new ConcurrentHashMap<>();

    private static volatile boolean started;

    private AdmissionResponder() {
    }

    /** Starts the JVM's one responder (once) and returns when it reads from the end of the command topic. */
    public static synchronized void start() {
        if (started) {
            return;
        }
        TestKafka.ensureTopics();
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.brokers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.brokers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-admission-responder-" + UUID.randomUUID()),
                new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        CountDownLatch positioned = new CountDownLatch(1);
        Thread.ofPlatform().daemon().name("test-admission-responder").start(() -> {
            TopicPartition partition = new TopicPartition(Topics.CALL_ADMISSION.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            positioned.countDown();
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    AdmissionCommand command = Topics.CALL_ADMISSION.valueSerde().deserializer()
                            .deserialize(record.topic(), record.value());
                    SEEN.add(command);
                    if (command.getMediaClaim() != null) {
                        if (!SILENT.contains(command.getTenantId())) {
                            claim(producer, command);
                        }
                    } else if (command.getCommand() instanceof AcquireSlot && HELD.contains(command.getTenantId())) {
                        HELD_REQUESTS.add(command);
                    } else if (command.getCommand() instanceof AcquireSlot
                            && !SILENT.contains(command.getTenantId())) {
                        answer(producer, command);
                    } else if (command.getCommand() instanceof Heartbeat && LOST.contains(command.getCallId())) {
                        slotNotHeld(producer, command);
                    }
                }
                for (String tenant = COMING_BACK.poll(); tenant != null; tenant = COMING_BACK.poll()) {
                    answerHeldOf(producer, tenant);
                }
            }
        });
        try {
            positioned.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        started = true;
    }

    /**
     * Admission comes back for {@code tenantId}: its requests held so far are answered now, in the order they were
     * asked (Granted unless the tenant is in {@link #REJECT}), and its later ones at once. Returns at once; the
     * answers follow within a poll.
     */
    public static void answerHeld(String tenantId) {
        HELD.remove(tenantId);
        COMING_BACK.add(tenantId);
    }

    /**
     * Whether the call holds a slot as the admission processor would count it, reading the commands in their log
     * order: its last AcquireSlot was granted (however late) and no ReleaseSlot came after that AcquireSlot.
     */
    public static boolean slotHeld(String callId) {
        boolean held = false;
        for (AdmissionCommand command : commandsFor(callId)) {
            if (command.getCommand() instanceof AcquireSlot) {
                held = GRANTED.contains(command.getCommandId());
            } else if (command.getCommand() instanceof ReleaseSlot) {
                held = false;
            }
        }
        return held;
    }

    /** Commands seen for a call. */
    public static List<AdmissionCommand> commandsFor(String callId) {
        return SEEN.stream().filter(c -> c.getCallId().equals(callId)).toList();
    }

    private static void answerHeldOf(KafkaProducer<byte[], byte[]> producer, String tenantId) {
        for (AdmissionCommand command : HELD_REQUESTS) {
            if (command.getTenantId().equals(tenantId)) {
                HELD_REQUESTS.remove(command);
                answer(producer, command);
            }
        }
    }

    /** Answers a media claim as the processor does: the first claim of a call wins, its retries included. */
    private static void claim(KafkaProducer<byte[], byte[]> producer, AdmissionCommand command) {
        MediaClaim held = CLAIMS.computeIfAbsent(command.getCallId(), id -> command.getMediaClaim());
        AdmissionCounters counters = new AdmissionCounters(0, 10_000, 0, 200, null, null);
        Object outcome = held.getConnectionId().equals(command.getMediaClaim().getConnectionId())
                ? new Granted(counters, held.getTokenExpiresAt())
                : new Rejected(AdmissionLimit.UNKNOWN, "the media of call " + command.getCallId()
                + " is served by connection " + held.getConnectionId(), counters);
        AdmissionDecision decision = new AdmissionDecision(command.getCallId(), command.getCommandId(),
                command.getTenantId(), command.getCampaignId(), Instant.now(), outcome, held);
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(Topics.CALL_ADMISSION_DECISIONS.name(),
                Topics.CALL_ADMISSION_DECISIONS.keySerde().serializer().serialize("", command.getCallId()),
                Topics.CALL_ADMISSION_DECISIONS.valueSerde().serializer().serialize("", decision)));
        producer.commitTransaction();
    }

    private static void slotNotHeld(KafkaProducer<byte[], byte[]> producer, AdmissionCommand command) {
        AdmissionDecision decision = new AdmissionDecision(command.getCallId(), command.getCommandId(),
                command.getTenantId(), command.getCampaignId(), Instant.now(), new Rejected(
                AdmissionLimit.ALREADY_RELEASED, "no slot held for call " + command.getCallId()
                + " (its heartbeats stopped)", new AdmissionCounters(0, 10_000, 0, 200, null, null)), null);
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(Topics.CALL_ADMISSION_DECISIONS.name(),
                Topics.CALL_ADMISSION_DECISIONS.keySerde().serializer().serialize("", command.getCallId()),
                Topics.CALL_ADMISSION_DECISIONS.valueSerde().serializer().serialize("", decision)));
        producer.commitTransaction();
    }

    private static void answer(KafkaProducer<byte[], byte[]> producer, AdmissionCommand command) {
        AdmissionCounters counters = new AdmissionCounters(1, 10_000, 1, 200, null, null);
        AdmissionLimit limit = REJECT.get(command.getTenantId());
        String detail = limit == null ? null
                : limit.name().toLowerCase(Locale.ROOT) + " limit 200 reached (200 active)";
        Instant leaseEnds = Instant.now().plusSeconds(600);
        Object outcome = limit == null ? new Granted(counters, leaseEnds) : new Rejected(limit, detail, counters);
        if (limit == null) {
            GRANTED.add(command.getCommandId());
        }
        Object event = limit == null ? new CallAdmitted(counters, leaseEnds) : new CallRejected(limit, detail, counters);
        AdmissionDecision decision = new AdmissionDecision(command.getCallId(), command.getCommandId(),
                command.getTenantId(), command.getCampaignId(), Instant.now(), outcome, null);
        CallEvent envelope = CallEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setCallId(command.getCallId()).setTenantId(command.getTenantId())
                .setCampaignId(command.getCampaignId()).setAgentId(command.getAgentId()).setOccurredAt(Instant.now())
                .setSource(EventSource.STREAM_PROCESSORS).setPayload(event).build();
        byte[] key = Topics.CALL_ADMISSION_DECISIONS.keySerde().serializer().serialize("", command.getCallId());
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(Topics.CALL_ADMISSION_DECISIONS.name(), key,
                Topics.CALL_ADMISSION_DECISIONS.valueSerde().serializer().serialize("", decision)));
        producer.send(new ProducerRecord<>(Topics.CALL_EVENTS.name(), key,
                Topics.CALL_EVENTS.valueSerde().serializer().serialize("", envelope)));
        producer.commitTransaction();
    }
}
