package io.sipai.runtime.kafka;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.sipai.quarantine.QuarantineReason;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes that do not decode never crash a stream thread and are never dropped: they go to {@code call.quarantine.v1}
 * as an {@code UNDECODABLE} {@link io.sipai.quarantine.QuarantinedRecord} holding the original key and value bytes.
 * The quarantine record is handed back to Kafka Streams as a dead-letter record, so it is written by the task's
 * producer in the same transaction that commits the skipped offset (exactly-once). sipai's own topologies read
 * values as bytes and decode them in the processor (which quarantines with the original bytes there), so this
 * handler is the safety net for any deserializer that still fails, e.g. of a key or of a source added later. Every
 * {@link StreamsApplication} uses it.
 */
public final class QuarantiningDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(QuarantiningDeserializationHandler.class);

    private String applicationId = "unknown";

    @Override
    public void configure(Map<String, ?> configs) {
        Object id = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        if (id != null) {
            applicationId = id.toString();
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        String reason = exception.getMessage() != null ? exception.getMessage() : exception.getClass().getName();
        LOG.warn("quarantining undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                reason);
        byte[] value = Quarantine.encode(Quarantine.build(record.topic(), record.partition(), record.offset(),
                QuarantineReason.UNDECODABLE, reason, applicationId, record.key(), record.value(),
                Clock.systemUTC().millis()));
        return Response.resume(List.of(new ProducerRecord<>(Topics.CALL_QUARANTINE.name(), record.key(), value)));
    }
}
