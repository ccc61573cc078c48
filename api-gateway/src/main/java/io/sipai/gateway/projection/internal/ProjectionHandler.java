package io.sipai.gateway.projection.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.sipai.quarantine.QuarantineReason;
import io.sipai.runtime.kafka.ConsumerLoop;
import io.sipai.runtime.kafka.UnprocessableRecordException;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.springframework.stereotype.Component;

/**
 * Projects {@code call.timeline.v1} (key callId, compacted), {@code call.timeline-entries.v1} (key callId) and
 * {@code webhook.attempts.v1} (key subscriptionId/callId) into PostgreSQL: the handler of the projection's grouped
 * consumer loop, which reads read_committed and commits after each handled batch. Delivery is at-least-once and
 * the writes are idempotent ({@link ProjectionWriter}), so a replayed batch changes nothing.
 * <p>
 * A batch is written in one transaction. A record that can never be written does not stall the projection for every
 * tenant: when the database refuses the batch for good ({@link Rejections}: SQLState class 22 or 23) or breaks it
 * off with a protocol violation (08P01, its answer to text it cannot take inside a JDBC batch), the records are
 * written one by one until the refused one, which is thrown as {@link UnprocessableRecordException}
 * ({@code REJECTED}) so the loop quarantines it with the database's reason and goes on after it; a record that does
 * not decode is thrown ({@code UNDECODABLE}) once the records before it are written. Any other failure (connection
 * lost, timeout) propagates, and the loop retries the batch until the database is back.
 */
@Component
public class ProjectionHandler implements ConsumerLoop.Handler {

    private final ProjectionWriter writer;
    private final AtomicLong lastRecordTimestamp = new AtomicLong(-1);

    public ProjectionHandler(ProjectionWriter writer) {
        this.writer = writer;
    }

    /** A decoded record and its position in the batch. */
    private record Decoded(int index, SpecificRecord value) {
    }

    @Override
    public void handle(List<ConsumerRecord<byte[], byte[]>> records) {
        List<Decoded> decoded = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            // A tombstone on the compacted summaries removes nothing here: the read model keeps ended calls.
            if (record.value() != null) {
                try {
                    decoded.add(new Decoded(i, decode(record)));
                } catch (SerializationException e) {
                    write(decoded);
                    throw new UnprocessableRecordException(i, QuarantineReason.UNDECODABLE,
                            "the projection cannot decode it: " + e.getMessage(), e);
                }
            }
        }
        write(decoded);
        if (!records.isEmpty()) {
            lastRecordTimestamp.set(records.getLast().timestamp());
        }
    }

    /** Timestamp of the last record projected, -1 before the first. */
    public long lastRecordTimestamp() {
        return lastRecordTimestamp.get();
    }

    private void write(List<Decoded> batch) {
        try {
            writer.write(batch.stream().map(Decoded::value).toList());
        } catch (RuntimeException batchFailure) {
            if (Rejections.reason(batchFailure).isEmpty() && !Rejections.protocolViolation(batchFailure)) {
                throw batchFailure;
            }
            batch.forEach(this::writeAlone);
        }
    }

    /**
     * Writes one record of a batch the database refused, to find the refused one; the ones before it are written,
     * each idempotently. A protocol violation gets a second try on another connection before it condemns the
     * record: PostgreSQL answers some rows it cannot take with one even when they are written alone.
     */
    private void writeAlone(Decoded record) {
        for (int attempt = 1; ; attempt++) {
            try {
                writer.write(List.of(record.value()));
                return;
            } catch (RuntimeException failure) {
                Optional<String> refused = Rejections.reason(failure);
                if (refused.isEmpty() && Rejections.protocolViolation(failure) && attempt == 2) {
                    refused = Optional.of("PostgreSQL broke off writing the row twice (SQLState 08P01): "
                            + failure.getMessage());
                }
                if (refused.isPresent()) {
                    throw new UnprocessableRecordException(record.index(), QuarantineReason.REJECTED,
                            refused.get(), failure);
                }
                if (!Rejections.protocolViolation(failure)) {
                    throw failure;
                }
            }
        }
    }

    private static SpecificRecord decode(ConsumerRecord<byte[], byte[]> record) {
        return decode(topic(record.topic()), record);
    }

    private static <V extends SpecificRecord> V decode(Topic<String, V> topic, ConsumerRecord<byte[], byte[]> record) {
        return topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
    }

    private static Topic<String, ? extends SpecificRecord> topic(String name) {
        if (name.equals(Topics.CALL_TIMELINE.name())) {
            return Topics.CALL_TIMELINE;
        }
        if (name.equals(Topics.CALL_TIMELINE_ENTRIES.name())) {
            return Topics.CALL_TIMELINE_ENTRIES;
        }
        if (name.equals(Topics.WEBHOOK_ATTEMPTS.name())) {
            return Topics.WEBHOOK_ATTEMPTS;
        }
        throw new IllegalArgumentException("not a projected topic: " + name);
    }
}
