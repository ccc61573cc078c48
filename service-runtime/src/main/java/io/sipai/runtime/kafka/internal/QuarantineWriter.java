package io.sipai.runtime.kafka.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.sipai.quarantine.QuarantineReason;
import io.sipai.runtime.kafka.KafkaClients;
import io.sipai.runtime.kafka.Quarantine;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a record a consumer loop cannot apply to {@code call.quarantine.v1} with its original bytes and the reason,
 * and waits for the broker's acknowledgement, so the loop commits past the record only once it is safe elsewhere.
 * A failed write throws, and the loop retries the record.
 */
public final class QuarantineWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QuarantineWriter.class);
    private static final long ACK_TIMEOUT_MS = 30_000;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String loop;

    public QuarantineWriter(Map<String, Object> clientConfig, String clientId, String loop) {
        this.loop = loop;
        this.producer = new KafkaProducer<>(KafkaClients.producer(clientConfig, clientId + "-quarantine",
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 0)), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Quarantines {@code record} and waits until the broker has it. */
    public void write(ConsumerRecord<?, ?> record, QuarantineReason reason, String detail) {
        byte[] key = record.key() instanceof byte[] bytes ? bytes : null;
        byte[] value = record.value() instanceof byte[] bytes ? bytes : null;
        byte[] quarantined = Quarantine.encode(Quarantine.build(record.topic(), record.partition(), record.offset(),
                reason, detail == null ? reason.name() : detail, loop, key, value, Clock.systemUTC().millis()));
        try {
            producer.send(new ProducerRecord<>(Topics.CALL_QUARANTINE.name(), key, quarantined))
                    .get(ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            LOG.warn("{}: quarantined {}-{}@{} ({}): {}", loop, record.topic(), record.partition(), record.offset(),
                    reason, detail);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while quarantining", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot quarantine " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
