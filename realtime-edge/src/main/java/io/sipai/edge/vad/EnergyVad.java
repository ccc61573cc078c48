package io.sipai.edge.vad;

/**
 * Energy-based voice activity detector over 20 ms PCM16 frames. A frame whose RMS level is above
 * {@code thresholdDb} (dBFS) counts as speech; speech starts after {@code startMs} of consecutive speech frames and
 * ends after {@code hangoverMs} of consecutive non-speech frames, so single clicks and short pauses do not flap.
 * Not thread-safe: one instance per call, fed from the call's inbound thread.
 */
public final class EnergyVad {

    /** What a frame changed. */
    public enum Transition { NONE, SPEECH_STARTED, SPEECH_ENDED }

    private final double thresholdSquare;
    private final int startFrames;
    private final int hangoverFrames;
    private boolean speaking;
    private int run;

    /**
     * @param thresholdDb energy threshold in dBFS (e.g. -45)
     * @param startMs     speech needed before a start is reported
     * @param hangoverMs  silence needed before an end is reported
     * @param frameMs     duration of one frame
     */
    public EnergyVad(double thresholdDb, int startMs, int hangoverMs, int frameMs) {
        double amplitude = 32768.0 * Math.pow(10.0, thresholdDb / 20.0);
        this.thresholdSquare = amplitude * amplitude;
        this.startFrames = Math.max(1, startMs / frameMs);
        this.hangoverFrames = Math.max(1, hangoverMs / frameMs);
    }

    /** RMS level of a frame in dBFS; {@code -inf} for digital silence. */
    public static double levelDb(short[] frame, int length) {
        return 10.0 * Math.log10(meanSquare(frame, length)) - 20.0 * Math.log10(32768.0);
    }

    /** Feeds one frame and reports whether speech started or ended with it. */
    public Transition accept(short[] frame, int length) {
        boolean voiced = meanSquare(frame, length) > thresholdSquare;
        if (voiced != speaking) {
            run++;
            if (run >= (speaking ? hangoverFrames : startFrames)) {
                speaking = voiced;
                run = 0;
                return voiced ? Transition.SPEECH_STARTED : Transition.SPEECH_ENDED;
            }
        } else {
            run = 0;
        }
        return Transition.NONE;
    }

    public boolean speaking() {
        return speaking;
    }

    private static double meanSquare(short[] frame, int length) {
        long sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (long) frame[i] * frame[i];
        }
        return length == 0 ? 0 : (double) sum / length;
    }
}
