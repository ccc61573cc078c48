package io.sipai.edge.voicemail;

/**
 * Hears an answering machine's beep in the caller's audio (PCM16 16 kHz, 20 ms frames): a steady pure tone between
 * 350 and 2100 Hz, loud enough, lasting at least {@value #MIN_BEEP_MS} ms. Each frame's energy is measured against
 * a bank of Goertzel filters 50 Hz apart; a frame is tonal when one filter holds most of it. Speech spreads its
 * energy over harmonics and moves its pitch, so it does not make a run of tonal frames on one filter. The beep is
 * reported when the tone stops (the machine records from then on), or after {@value #MAX_BEEP_MS} ms of tone. Not
 * thread-safe: one call's audio thread.
 */
public final class BeepDetector {

    static final int MIN_BEEP_MS = 160;
    static final int MAX_BEEP_MS = 2000;
    private static final int RATE = 16_000;
    private static final int FRAME_MS = 20;
    private static final int LOW_HZ = 350;
    private static final int STEP_HZ = 50;
    private static final int BINS = 36;
    /**
     * Share of a frame's energy the strongest filter and its stronger neighbour must hold for the frame to be a
     * tone: a sine between two filters splits its energy between them (about 0.4 each halfway).
     */
    private static final double TONAL_SHARE = 0.6;
    /** Mean square of a -40 dBFS frame: quieter is not a beep. */
    private static final double MIN_ENERGY = Math.pow(32768 * Math.pow(10, -40 / 20.0), 2);

    private final double[] coefficients = new double[BINS];
    private final double[] powers = new double[BINS];
    private int runBin = -1;
    private int runFrames;
    private long framesSeen;

    public BeepDetector() {
        for (int k = 0; k < BINS; k++) {
            coefficients[k] = 2 * Math.cos(2 * Math.PI * (LOW_HZ + k * STEP_HZ) / RATE);
        }
    }

    /** A beep heard: its pitch and when it ended, in ms from the first frame. */
    public record Beep(int frequencyHz, long endedAtMs, long lengthMs) {
    }

    /** Takes the next frame; the beep that ended with it, or null. */
    public Beep accept(short[] frame, int length) {
        framesSeen++;
        int bin = tonalBin(frame, length);
        boolean continues = bin >= 0 && (runBin < 0 || Math.abs(bin - runBin) <= 1);
        if (continues) {
            if (runBin < 0) {
                runBin = bin;
            }
            runFrames++;
            if (runFrames * FRAME_MS >= MAX_BEEP_MS) {
                return ended(framesSeen);
            }
            return null;
        }
        Beep beep = runFrames * FRAME_MS >= MIN_BEEP_MS ? ended(framesSeen - 1) : null;
        runBin = bin;
        runFrames = bin >= 0 ? 1 : 0;
        return beep;
    }

    private Beep ended(long lastToneFrame) {
        Beep beep = new Beep(LOW_HZ + runBin * STEP_HZ, lastToneFrame * FRAME_MS, (long) runFrames * FRAME_MS);
        runBin = -1;
        runFrames = 0;
        return beep;
    }

    /** The filter holding most of a loud frame's energy, or -1 when none holds enough. */
    private int tonalBin(short[] frame, int length) {
        double energy = 0;
        for (int i = 0; i < length; i++) {
            energy += (double) frame[i] * frame[i];
        }
        if (length == 0 || energy / length < MIN_ENERGY) {
            return -1;
        }
        int best = 0;
        for (int k = 0; k < BINS; k++) {
            double s1 = 0;
            double s2 = 0;
            double c = coefficients[k];
            for (int i = 0; i < length; i++) {
                double s0 = frame[i] + c * s1 - s2;
                s2 = s1;
                s1 = s0;
            }
            powers[k] = s1 * s1 + s2 * s2 - c * s1 * s2;
            if (powers[k] > powers[best]) {
                best = k;
            }
        }
        double neighbour = Math.max(best > 0 ? powers[best - 1] : 0, best < BINS - 1 ? powers[best + 1] : 0);
        // A sine holding all the frame's energy gives power = energy * length / 2 at its own filter.
        return (powers[best] + neighbour) / (energy * length / 2) >= TONAL_SHARE ? best : -1;
    }
}
