package io.sipai.system.processors;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.sipai.admission.AdmissionCommand;
import io.sipai.events.CallEvent;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes what the other services would write to the stream processors' inputs, {@code call.events.v1} (key callId)
 * and {@code call.admission.v1} (key {@link Topics#ADMISSION_KEY}), with idempotent {@code acks=all} producers like
 * theirs, and remembers when each record was sent and to which partition the broker acknowledged it.
 */
public final class Inputs implements AutoCloseable {

    /**
     * When a record was sent ({@link System#nanoTime()}), its partition once acknowledged (-1 before) and when the
     * acknowledgement came (0 before).
     */
    public record Sent(long at, int partition, long ackedAt) {
    }

    private final KafkaProducer<String, CallEvent> events;
    private final KafkaProducer<String, AdmissionCommand> commands;
    private final Map<String, Sent> sentEvents = new ConcurrentHashMap<>();
    private final Map<String, Sent> sentCommands = new ConcurrentHashMap<>();

    public Inputs(String bootstrapServers) {
        events = producer(bootstrapServers, Topics.CALL_EVENTS);
        commands = producer(bootstrapServers, Topics.CALL_ADMISSION);
    }

    private static <V> KafkaProducer<String, V> producer(String servers, Topic<String, V> topic) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** Sends a call event without waiting. */
    public void send(CallEvent event) {
        long at = System.nanoTime();
        sentEvents.put(event.getEventId(), new Sent(at, -1, 0));
        events.send(new ProducerRecord<>(Topics.CALL_EVENTS.name(), event.getCallId(), event),
                (metadata, error) -> acknowledged(sentEvents, event.getEventId(), at, metadata));
    }

    /** Sends a call event and waits for the broker's acknowledgement, as a producer does before asking admission. */
    public void sendAndWait(CallEvent event) {
        long at = System.nanoTime();
        sentEvents.put(event.getEventId(), new Sent(at, -1, 0));
        RecordMetadata metadata = await(events.send(new ProducerRecord<>(Topics.CALL_EVENTS.name(),
                event.getCallId(), event)));
        acknowledged(sentEvents, event.getEventId(), at, metadata);
    }

    /** Sends an admission command without waiting. */
    public void send(AdmissionCommand command) {
        long at = System.nanoTime();
        sentCommands.put(command.getCommandId(), new Sent(at, 0, 0));
        commands.send(new ProducerRecord<>(Topics.CALL_ADMISSION.name(), Topics.ADMISSION_KEY, command));
    }

    /** Every call event sent, by eventId. */
    public Map<String, Sent> sentEvents() {
        return Map.copyOf(sentEvents);
    }

    /** Every admission command sent, by commandId. */
    public Map<String, Sent> sentCommands() {
        return Map.copyOf(sentCommands);
    }

    public void flush() {
        events.flush();
        commands.flush();
    }

    private static void acknowledged(Map<String, Sent> sent, String id, long at, RecordMetadata metadata) {
        if (metadata != null) {
            sent.put(id, new Sent(at, metadata.partition(), System.nanoTime()));
        }
    }

    private static RecordMetadata await(java.util.concurrent.Future<RecordMetadata> send) {
        try {
            return send.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the cluster did not acknowledge a record", e);
        }
    }

    @Override
    public void close() {
        events.close(Duration.ofSeconds(10));
        commands.close(Duration.ofSeconds(10));
    }
}
