package io.sipai.processors.timeline.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Retention of ended calls kept as data: the {@code timeline-retention} store holds keys of the big-endian due time,
 * one stage byte and the callId, so a range scan from the beginning to "now" returns exactly the work that fell due,
 * oldest first. Entries are deleted once handled, so the next scan resumes where the last one stopped, and a
 * restarted task (store restored from its changelog) catches up on everything that fell due while it was down.
 */
public final class RetentionIndex {

    /** What falls due for a call. */
    public enum Stage {
        /** Forget the call's dedupe keys (eventIds); the summary stays, so late events are still AFTER_END. */
        FORGET_EVENT_IDS,
        /** Forget the call entirely; a later event for it is quarantined as UNKNOWN_CALL. */
        FORGET_CALL
    }

    /** One due piece of work. */
    public record Due(long dueAt, Stage stage, String callId) {
    }

    private static final byte[] PRESENT = new byte[0];
    private static final Bytes LOWEST = Bytes.wrap(new byte[0]);

    private final KeyValueStore<Bytes, byte[]> store;

    public RetentionIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** Records that {@code stage} falls due for {@code callId} at {@code dueAt}. */
    public void add(long dueAt, Stage stage, String callId) {
        store.put(key(dueAt, stage, callId), PRESENT);
    }

    /** Forgets a handled entry. */
    public void remove(Due due) {
        store.delete(key(due.dueAt(), due.stage(), due.callId()));
    }

    /** Up to {@code limit} entries due at or before {@code now}, oldest first. */
    public List<Due> due(long now, int limit) {
        List<Due> due = new ArrayList<>();
        // Every key of time `now` (any stage, any callId) sorts below the 8-byte prefix of now + 1.
        try (KeyValueIterator<Bytes, byte[]> range = store.range(LOWEST,
                Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(now + 1).array()))) {
            while (range.hasNext() && due.size() < limit) {
                KeyValue<Bytes, byte[]> next = range.next();
                ByteBuffer key = ByteBuffer.wrap(next.key.get());
                long dueAt = key.getLong();
                if (dueAt > now) {
                    break;
                }
                Stage stage = Stage.values()[key.get()];
                byte[] callId = new byte[key.remaining()];
                key.get(callId);
                due.add(new Due(dueAt, stage, new String(callId, StandardCharsets.UTF_8)));
            }
        }
        return due;
    }

    static Bytes key(long dueAt, Stage stage, String callId) {
        byte[] id = callId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + 1 + id.length).putLong(dueAt)
                .put((byte) stage.ordinal()).put(id).array());
    }
}
