package io.sipai.edge.session.internal;

/**
 * Cuts a stream of samples of any chunk size into fixed frames (20 ms at 16 kHz = 320 samples) for the pipeline,
 * reusing one frame array. Not thread-safe.
 */
public final class Framer {

    /** Receives each complete frame; the array is reused after the call returns. */
    @FunctionalInterface
    public interface Sink {
        void frame(short[] frame, int length);
    }

    private final short[] frame;
    private int filled;

    public Framer(int frameSamples) {
        this.frame = new short[frameSamples];
    }

    /** Adds {@code length} samples and emits each frame they complete. */
    public void add(short[] samples, int length, Sink sink) {
        int offset = 0;
        while (offset < length) {
            int take = Math.min(length - offset, frame.length - filled);
            System.arraycopy(samples, offset, frame, filled, take);
            filled += take;
            offset += take;
            if (filled == frame.length) {
                filled = 0;
                sink.frame(frame, frame.length);
            }
        }
    }
}
