package io.sipai.processors.admission.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.EventSource;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.LivenessCheck;
import io.sipai.runtime.kafka.ConsumerLoop;
import io.sipai.runtime.kafka.KafkaClients;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release bridge: turns every CallEnded on {@code call.events.v1} (12 partitions, key callId) into a ReleaseSlot
 * command on {@code call.admission.v1} (key {@link Topics#ADMISSION_KEY}), so the one admission task applies
 * releases in the same total order as acquires. The handler of a grouped {@link ConsumerLoop} (group
 * {@code <prefix>-admission-releases}, the instances share the partitions), it returns only once the broker has
 * acknowledged every release of the batch, and the loop commits the batch's offsets after that: at-least-once. A
 * repeated release (after a crash between the write and the commit) carries the same commandId
 * ({@code call-ended/<eventId>}) and changes nothing, since the admission processor frees a slot once.
 *
 * <p>Why not a Kafka Streams task of the admission app, as it was: its exactly-once writes to
 * {@code call.admission.v1} were part of the admission thread's transactions, and a {@code read_committed} reader
 * (the admission task itself) sees no command written after an open transaction's release until that transaction
 * commits. So every acquire waited for one of the deciding thread's own commits, and for two or three of them after a
 * failover, when the moved releaser tasks had a backlog (1.5-2 s each on a loaded cluster), and a dead instance's
 * open release transaction held every acquire until it was aborted. These writes are not transactional, so
 * nothing in the command topic ever waits for a transaction.
 *
 * <p>A write that fails is retried with the whole batch (the loop's backoff); one that fails for a reason a retry
 * cannot cure (an authorization, a producer in a fatal state) also replaces the producer. A bridge whose batches
 * have failed for {@link #STUCK_AFTER} in a row fails liveness, so the orchestrator restarts the service rather
 * than leaving releases stopped with the process looking healthy.
 *
 * <p>The record keeps the CallEnded's timestamp: earlier than the write, so the admission task's log clock
 * ({@link EdgeClock}) never runs ahead of what it has read. Values arrive as raw bytes: bytes that do not decode
 * are left to the timeline app, which quarantines them once.
 */
public final class ReleaseBridge implements ConsumerLoop.Handler, LivenessCheck, AutoCloseable {

    /** How long batches may fail in a row before the bridge reports itself dead. */
    public static final Duration STUCK_AFTER = Duration.ofMinutes(2);

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseBridge.class);

    private final Supplier<Producer<String, AdmissionCommand>> producers;
    private final Clock clock;
    private Producer<String, AdmissionCommand> producer;
    /** When the current run of failed batches began; 0 while the last batch went through. */
    private volatile long failingSince;

    public ReleaseBridge(Supplier<Producer<String, AdmissionCommand>> producers, Clock clock) {
        this.producers = producers;
        this.clock = clock;
        this.producer = producers.get();
    }

    /** A bridge with its own idempotent {@code acks=all} producer ({@code clientId}). */
    public static ReleaseBridge create(KafkaSettings kafka, String clientId) {
        Map<String, Object> config = KafkaClients.producer(kafka, clientId, Map.of(ProducerConfig.LINGER_MS_CONFIG, 0));
        return new ReleaseBridge(() -> new KafkaProducer<>(config, new StringSerializer(),
                Topics.CALL_ADMISSION.valueSerde().serializer()), Clock.systemUTC());
    }

    @Override
    public void handle(List<ConsumerRecord<byte[], byte[]>> records) {
        try {
            write(records);
            failingSince = 0;
        } catch (RuntimeException e) {
            if (failingSince == 0) {
                failingSince = clock.millis();
            }
            if (!curedByRetry(e) && !Thread.currentThread().isInterrupted()) {
                replaceProducer(e);
            }
            throw e;
        }
    }

    private synchronized void write(List<ConsumerRecord<byte[], byte[]>> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            AdmissionCommand release = releaseFor(decode(record.value()));
            if (release != null) {
                // A record without a timestamp (-1, old message formats) gets the producer's clock.
                Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
                sent.add(producer.send(new ProducerRecord<>(Topics.CALL_ADMISSION.name(), null, timestamp,
                        Topics.ADMISSION_KEY, release)));
            }
        }
        for (Future<RecordMetadata> write : sent) {
            awaitAcknowledged(write);
        }
    }

    private static boolean curedByRetry(RuntimeException e) {
        return e instanceof RetriableException || e.getCause() instanceof RetriableException;
    }

    private synchronized void replaceProducer(RuntimeException cause) {
        LOG.warn("release bridge: replacing its producer after {}", cause.getCause() != null ? cause.getCause()
                : cause.toString());
        producer.close(Duration.ZERO);
        producer = producers.get();
    }

    @Override
    public String name() {
        return "admission-release-bridge";
    }

    @Override
    public boolean alive() {
        long since = failingSince;
        return since == 0 || clock.millis() - since < STUCK_AFTER.toMillis();
    }

    /** The ReleaseSlot a CallEnded stands for; null for any other event. */
    static AdmissionCommand releaseFor(CallEvent event) {
        if (event == null || !(event.getPayload() instanceof CallEnded ended) || event.getCallId() == null
                || event.getTenantId() == null) {
            return null;
        }
        return AdmissionCommand.newBuilder()
                .setCommandId("call-ended/" + event.getEventId())
                .setCallId(event.getCallId())
                .setTenantId(event.getTenantId())
                .setCampaignId(event.getCampaignId())
                .setAgentId(event.getAgentId())
                .setIssuedAt(event.getOccurredAt())
                .setSource(EventSource.STREAM_PROCESSORS)
                .setCommand(ReleaseSlot.newBuilder().setReason("CallEnded " + ended.getReason()).build())
                .build();
    }

    private static void awaitAcknowledged(Future<RecordMetadata> write) {
        try {
            write.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a release was written", e);
        } catch (ExecutionException e) {
            // The loop retries the whole batch with backoff; releases already written are repeated, harmlessly.
            throw new IllegalStateException("a release was not acknowledged: " + e.getCause(), e.getCause());
        }
    }

    private static CallEvent decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return Topics.CALL_EVENTS.valueSerde().deserializer().deserialize(Topics.CALL_EVENTS.name(), bytes);
        } catch (RuntimeException undecodable) {
            return null;
        }
    }

    @Override
    public synchronized void close() {
        producer.close();
    }
}
