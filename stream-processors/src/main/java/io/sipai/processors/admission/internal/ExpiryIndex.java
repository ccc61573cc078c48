package io.sipai.processors.admission.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Slot expiry kept as data: the {@code admission-expiry} store holds one key per call, the big-endian expiry time
 * followed by the callId, so a range scan from the beginning to "now" returns exactly the due entries, oldest
 * first. Entries are deleted as they are handled, so the next scan resumes where the last one stopped, and a
 * restarted task (its store restored from the changelog) catches up on everything that fell due while it was down.
 */
public final class ExpiryIndex {

    private static final byte[] PRESENT = new byte[0];
    private static final Bytes LOWEST = Bytes.wrap(new byte[0]);

    private final KeyValueStore<Bytes, byte[]> store;

    public ExpiryIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** A call due at a time. */
    public record Due(long expiresAt, String callId) {
    }

    /** Records that {@code callId} falls due at {@code expiresAt}. */
    public void add(long expiresAt, String callId) {
        store.put(key(expiresAt, callId), PRESENT);
    }

    /** Forgets that {@code callId} falls due at {@code expiresAt}. */
    public void remove(long expiresAt, String callId) {
        store.delete(key(expiresAt, callId));
    }

    /** Up to {@code limit} entries due at or before {@code now}, oldest first. */
    public List<Due> due(long now, int limit) {
        List<Due> due = new ArrayList<>();
        // Upper bound: every key of time `now` (any callId) sorts below the 8-byte prefix of now + 1.
        try (KeyValueIterator<Bytes, byte[]> range = store.range(LOWEST, Bytes.wrap(prefix(now + 1)))) {
            while (range.hasNext() && due.size() < limit) {
                KeyValue<Bytes, byte[]> next = range.next();
                ByteBuffer key = ByteBuffer.wrap(next.key.get());
                long expiresAt = key.getLong();
                if (expiresAt > now) {
                    break;
                }
                byte[] callId = new byte[key.remaining()];
                key.get(callId);
                due.add(new Due(expiresAt, new String(callId, StandardCharsets.UTF_8)));
            }
        }
        return due;
    }

    static Bytes key(long expiresAt, String callId) {
        byte[] id = callId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + id.length).putLong(expiresAt).put(id).array());
    }

    private static byte[] prefix(long time) {
        return ByteBuffer.allocate(Long.BYTES).putLong(time).array();
    }
}
