package io.sipai.edge.recording.internal;

/**
 * The agent's audio waiting to be recorded: samples placed on the recording's timeline at the position where the
 * caller hears them, held until the caller's track reaches that position. Playback sends audio at most a little
 * ahead of real time, so little waits here; {@code maxSamples} bounds it anyway (what does not fit is dropped and
 * counted). Not thread-safe.
 */
public final class AgentTrack {

    private final int maxSamples;
    private short[] ring = new short[4096];
    /** Timeline position of the first held sample. */
    private long start;
    private int held;
    private long dropped;

    public AgentTrack(int maxSamples) {
        this.maxSamples = maxSamples;
    }

    /** Timeline position after the last held sample (where the next utterance continues). */
    public long end() {
        return start + held;
    }

    /** Samples that did not fit. */
    public long dropped() {
        return dropped;
    }

    /** Places {@code n} samples at timeline position {@code at} (>= {@link #end()}; the gap is silence). */
    public void place(long at, short[] pcm, int n) {
        if (held == 0) {
            start = at;
        } else {
            long gap = at - end();
            for (long i = 0; i < gap && held < maxSamples; i++) {
                put((short) 0);
            }
        }
        for (int i = 0; i < n; i++) {
            if (held == maxSamples) {
                dropped += n - i;
                return;
            }
            put(pcm[i]);
        }
    }

    /** Forgets everything placed at or after {@code position} (a barge-in cleared it before it was heard). */
    public void cutAt(long position) {
        if (position <= start) {
            held = 0;
        } else if (position < end()) {
            held = (int) (position - start);
        }
    }

    /** The sample at timeline position {@code position} (0 when none is held there), consumed with all before it. */
    public short take(long position) {
        if (held == 0 || position < start) {
            return 0;
        }
        while (held > 0 && start < position) {
            start++;
            held--;
        }
        if (held == 0 || start != position) {
            return 0;
        }
        short sample = ring[(int) (start % ring.length)];
        start++;
        held--;
        return sample;
    }

    private void put(short sample) {
        if (held == ring.length) {
            grow();
        }
        ring[(int) ((start + held) % ring.length)] = sample;
        held++;
    }

    private void grow() {
        short[] bigger = new short[Math.min(ring.length * 2, Math.max(maxSamples, ring.length + 1))];
        for (int i = 0; i < held; i++) {
            bigger[(int) ((start + i) % bigger.length)] = ring[(int) ((start + i) % ring.length)];
        }
        ring = bigger;
    }
}
