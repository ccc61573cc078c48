package io.sipai.gateway.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.opentelemetry.api.trace.Span;
import io.sipai.events.CallEvent;
import io.sipai.gateway.problems.Failures;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.KafkaClients;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.stereotype.Component;

/**
 * The gateway's one Kafka producer, configured by {@link KafkaClients#producer} (acks=all, idempotent). Records are
 * serialized with their topic's serdes from {@link io.sipai.schemas.Topics}, so one producer serves every topic:
 * the config topics (agents, campaigns, webhook subscriptions), replays, and the call facts the gateway observes
 * (naming the span of the request being served in {@code traceparent}, when tracing is on).
 */
@Component
public class RecordPublisher implements AutoCloseable {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<byte[], byte[]> producer;
    private final CallTracing tracing;

    public RecordPublisher(KafkaSettings kafka, CallTracing tracing) {
        this.tracing = tracing;
        Map<String, Object> config = KafkaClients.producer(kafka, "api-gateway", Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends a record (a null value is a tombstone); the future completes when the broker acknowledged it. */
    public <V> CompletableFuture<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
        byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
        byte[] valueBytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic.name(), keyBytes, valueBytes);
        if (tracing.on() && value instanceof CallEvent event) {
            // A call fact written while serving a request for the call: its readers continue the request's span.
            CallTracing.inject(record.headers(), Span.fromContext(CallTracing.currentOr(event.getCallId()))
                    .getSpanContext());
        }
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(metadata);
            }
        });
        return result;
    }

    /** Sends and waits for the acknowledgement; throws when the broker does not take the record. */
    public <V> RecordMetadata sendAndWait(Topic<String, V> topic, String key, V value) {
        try {
            return send(topic, key, value).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic.name(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic.name() + ": " + Failures.describe(
                    e.getCause() == null ? e : e.getCause()), e);
        } catch (TimeoutException e) {
            // CompletableFuture's TimeoutException has no message.
            throw new IllegalStateException("cannot publish to " + topic.name() + ": no acknowledgement within "
                    + SEND_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /** Publishes a call fact to {@code call.events.v1}, keyed by its callId, and waits for the acknowledgement. */
    public CallEvent sendAndWait(CallEvent event) {
        sendAndWait(Topics.CALL_EVENTS, event.getCallId(), event);
        return event;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
