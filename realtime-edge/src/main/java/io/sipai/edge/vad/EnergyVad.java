package io.sipai.edge.vad;

/**
 * Energy-based voice activity detector over 20 ms PCM16 frames. A frame whose RMS level is above
 * {@code thresholdDb} (dBFS) counts as speech; speech starts after {@code startMs} of consecutive speech frames and
 * ends after {@code hangoverMs} of consecutive non-speech frames, so single clicks and short pauses do not flap.
 *
 * <p>With a {@code pauseMs} shorter than the hangover, the detector also reports the pause that may end a turn
 * early ({@link Transition#SPEECH_PAUSED}, once per silence): the pipeline then decides from the words so far
 * whether the caller is done. Speech that comes back within the hangover is a new start (after {@code startMs} of
 * it; shorter blips do not restart the silence, they are noise in a pause); silence that reaches the hangover ends
 * the speech as without a pause. Not thread-safe: one instance per call, fed from the call's inbound thread.
 */
public final class EnergyVad {

    /** What a frame changed. */
    public enum Transition { NONE, SPEECH_STARTED, SPEECH_PAUSED, SPEECH_ENDED }

    private final double thresholdSquare;
    private final int startFrames;
    private final int pauseFrames;
    private final int hangoverFrames;
    private boolean speaking;
    private boolean paused;
    /** Consecutive frames against the current state: voiced while silent, silent (or in a pause) while speaking. */
    private int run;
    /** Consecutive voiced frames during a pause. */
    private int voicedInPause;

    /** A detector without early pauses: speech ends after {@code hangoverMs} of silence. */
    public EnergyVad(double thresholdDb, int startMs, int hangoverMs, int frameMs) {
        this(thresholdDb, startMs, 0, hangoverMs, frameMs);
    }

    /**
     * @param thresholdDb energy threshold in dBFS (e.g. -45)
     * @param startMs     speech needed before a start is reported
     * @param pauseMs     silence after which a pause is reported; 0 (or not below the hangover) reports none
     * @param hangoverMs  silence needed before an end is reported
     * @param frameMs     duration of one frame
     */
    public EnergyVad(double thresholdDb, int startMs, int pauseMs, int hangoverMs, int frameMs) {
        double amplitude = 32768.0 * Math.pow(10.0, thresholdDb / 20.0);
        this.thresholdSquare = amplitude * amplitude;
        this.startFrames = Math.max(1, startMs / frameMs);
        this.hangoverFrames = Math.max(1, hangoverMs / frameMs);
        int pause = pauseMs <= 0 ? 0 : Math.max(1, pauseMs / frameMs);
        this.pauseFrames = pause < hangoverFrames ? pause : 0;
    }

    /** RMS level of a frame in dBFS; {@code -inf} for digital silence. */
    public static double levelDb(short[] frame, int length) {
        return 10.0 * Math.log10(meanSquare(frame, length)) - 20.0 * Math.log10(32768.0);
    }

    /** Feeds one frame and reports whether speech started, paused or ended with it. */
    public Transition accept(short[] frame, int length) {
        boolean voiced = meanSquare(frame, length) > thresholdSquare;
        if (!speaking) {
            run = voiced ? run + 1 : 0;
            if (run >= startFrames) {
                speaking = true;
                run = 0;
                return Transition.SPEECH_STARTED;
            }
            return Transition.NONE;
        }
        if (paused) {
            return inPause(voiced);
        }
        if (voiced) {
            run = 0;
            return Transition.NONE;
        }
        run++;
        if (run >= hangoverFrames) {
            return end();
        }
        if (run == pauseFrames) {
            paused = true;
            voicedInPause = 0;
            return Transition.SPEECH_PAUSED;
        }
        return Transition.NONE;
    }

    private Transition inPause(boolean voiced) {
        voicedInPause = voiced ? voicedInPause + 1 : 0;
        if (voicedInPause >= startFrames) {
            paused = false;
            run = 0;
            return Transition.SPEECH_STARTED;
        }
        run++;
        return run >= hangoverFrames ? end() : Transition.NONE;
    }

    private Transition end() {
        speaking = false;
        paused = false;
        run = 0;
        return Transition.SPEECH_ENDED;
    }

    /** Whether speech is going on: started, and not paused or ended since. */
    public boolean speaking() {
        return speaking && !paused;
    }

    private static double meanSquare(short[] frame, int length) {
        long sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (long) frame[i] * frame[i];
        }
        return length == 0 ? 0 : (double) sum / length;
    }
}
