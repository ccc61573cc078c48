package io.sipai.runtime.kafka;

import java.nio.ByteBuffer;
import java.time.Instant;

import io.sipai.quarantine.QuarantineReason;
import io.sipai.quarantine.QuarantinedRecord;
import io.sipai.schemas.Topics;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds the {@link QuarantinedRecord}s that Streams processors and consumer loops send to {@code call.quarantine.v1}
 * instead of dropping a record they cannot apply, so an operator can see why and replay the original bytes. The one
 * bad-record policy of sipai's Kafka clients.
 */
public final class Quarantine {

    /** Name of the quarantine sink node in every topology. */
    public static final String SINK = "quarantine-sink";

    private Quarantine() {
    }

    /**
     * A quarantine record for the record the context is processing now.
     *
     * @param key   the record key bytes (null when there were none)
     * @param value the record value bytes (null when there were none)
     */
    public static QuarantinedRecord of(ProcessorContext<?, ?> context, QuarantineReason reasonCode, String reason,
                                       byte[] key, byte[] value) {
        RecordMetadata metadata = context.recordMetadata().orElse(null);
        return build(metadata == null ? "unknown" : metadata.topic(), metadata == null ? -1 : metadata.partition(),
                metadata == null ? -1L : metadata.offset(), reasonCode, reason, context.applicationId(), key, value,
                context.currentSystemTimeMs());
    }

    /** Longest reason kept; exception messages can be arbitrarily long. */
    public static final int MAX_REASON_CHARS = 1_000;

    /** A quarantine record from its parts. */
    public static QuarantinedRecord build(String topic, int partition, long offset, QuarantineReason reasonCode,
                                          String reason, String processor, byte[] key, byte[] value, long at) {
        return QuarantinedRecord.newBuilder()
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setReasonCode(reasonCode)
                .setReason(reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason)
                .setProcessor(processor)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setQuarantinedAt(Instant.ofEpochMilli(at))
                .build();
    }

    /** The serializer of the quarantine topic's values. */
    public static byte[] encode(QuarantinedRecord record) {
        return Topics.CALL_QUARANTINE.valueSerde().serializer().serialize(Topics.CALL_QUARANTINE.name(), record);
    }
}
