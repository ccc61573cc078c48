package io.sipai.edge.session.internal;

/**
 * A bounded jitter buffer that puts encoded transport frames back in sequence-number order. Frames are copied into
 * preallocated slots, so steady-state use allocates nothing. A frame older than the next expected one is dropped as
 * late; when the buffer is full and the next expected frame still has not come, it is given up and the buffer moves
 * on, so one lost frame delays audio by at most {@code slots} frames. Not thread-safe.
 */
public final class JitterBuffer {

    /** Receives frames in order. */
    @FunctionalInterface
    public interface Sink {
        void accept(byte[] frame, int length);
    }

    private final byte[][] slots;
    private final int[] lengths;
    private final long[] sequences;
    private long next = -1;
    private int held;
    private long late;
    private long skipped;

    public JitterBuffer(int slotCount, int maxFrameBytes) {
        this.slots = new byte[slotCount][maxFrameBytes];
        this.lengths = new int[slotCount];
        this.sequences = new long[slotCount];
        java.util.Arrays.fill(sequences, -1);
    }

    /** Offers frame {@code sequence}; emits every frame that is now in order to {@code sink}. */
    public void offer(long sequence, byte[] frame, int length, Sink sink) {
        if (next < 0) {
            next = sequence;
        }
        if (sequence < next || length > slots[0].length) {
            late++;
            return;
        }
        while (sequence - next >= slots.length) {
            skipOne(sink);
        }
        if (sequence == next) {
            sink.accept(frame, length);
            next++;
            drainInOrder(sink);
            return;
        }
        int slot = (int) (sequence % slots.length);
        if (sequences[slot] != sequence) {
            System.arraycopy(frame, 0, slots[slot], 0, length);
            lengths[slot] = length;
            sequences[slot] = sequence;
            held++;
        }
    }

    /** Frames that arrived after their turn had passed. */
    public long lateFrames() {
        return late;
    }

    /** Sequence numbers given up as lost. */
    public long skippedFrames() {
        return skipped;
    }

    private void skipOne(JitterBuffer.Sink sink) {
        skipped++;
        next++;
        drainInOrder(sink);
    }

    private void drainInOrder(Sink sink) {
        while (held > 0) {
            int slot = (int) (next % slots.length);
            if (sequences[slot] != next) {
                return;
            }
            sequences[slot] = -1;
            held--;
            sink.accept(slots[slot], lengths[slot]);
            next++;
        }
    }
}
