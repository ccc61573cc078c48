package io.sipai.edge.endpointing;

/**
 * Decides when the caller's turn is over, from the voice activity detector's starts, pauses and ends and the
 * recognizer's finals. With a fixed end of turn, the turn ends once speech has been silent for the hangover and the
 * recognizer has given its final for it. Adaptively (a VAD that also reports short pauses), each pause asks the
 * recognizer for the words so far, and the turn ends at the pause when they read as a finished utterance
 * ({@link Utterances#complete}); words that trail off ("for...", "um", a number being dictated) wait for the
 * hangover, and speech that comes back continues the same turn. The recognizer's own endpoint (Deepgram's
 * {@code speech_final}) ends the turn at once, unless the caller has spoken again after a pause of it. A recognizer
 * that decodes the whole turn at each pause gives finals that replace its words. Pure logic, no clock: one instance
 * per call, used on the call's actor, and by the end-of-turn evaluation as it is.
 *
 * <p>Each event answers what the pipeline has to do next ({@link Step}); after {@link Step#END} the turn's words
 * are {@link #take() taken}.
 */
public final class EndOfTurn {

    /** What the caller of an event does next. */
    public enum Step {
        /** Nothing yet. */
        NONE,
        /** Ask the recognizer for its final of the audio so far. */
        FINALIZE,
        /** The turn is over: {@link #take()} its words. */
        END
    }

    private enum Voice { SPEAKING, PAUSED, ENDED }

    private final StringBuilder words = new StringBuilder();
    private boolean open;
    private Voice voice = Voice.ENDED;
    /** A final was asked for and has not come. */
    private boolean finalizing;
    /** Speech the recognizer has not been asked to finalize. */
    private boolean unfinalized;
    /** The turn ended at a pause, before the hangover (for the metrics: the end of speech was a pause ago). */
    private boolean endedAtPause;
    /** The caller spoke again after a pause or silence of this turn. */
    private boolean resumed;

    /** Speech started: a new turn, or more of the open one. */
    public Step speechStarted() {
        if (!open) {
            open = true;
            resumed = false;
            words.setLength(0);
        } else if (voice != Voice.SPEAKING) {
            resumed = true;
        }
        voice = Voice.SPEAKING;
        unfinalized = true;
        return Step.NONE;
    }

    /** A short silence (adaptive end of turn only). */
    public Step speechPaused() {
        if (open) {
            voice = Voice.PAUSED;
        }
        return next();
    }

    /** Silence for the whole hangover. */
    public Step speechEnded() {
        if (open) {
            voice = Voice.ENDED;
        }
        return next();
    }

    /**
     * A final transcript. {@code endOfTurn} marks the answer to {@link Step#FINALIZE}, or the recognizer's own
     * endpoint when none was asked for (which ends the turn unless the caller speaks again). {@code wholeTurn}: the
     * text is the whole turn's so far (a recognizer that decodes the turn from its start at each pause), not a piece
     * to append.
     */
    public Step fin(String text, boolean endOfTurn, boolean wholeTurn) {
        if (!open) {
            return Step.NONE;
        }
        if (wholeTurn && !text.isBlank()) {
            words.setLength(0);
        }
        if (!text.isBlank()) {
            words.append(words.isEmpty() ? "" : " ").append(text.strip());
        }
        if (!endOfTurn) {
            return Step.NONE;
        }
        if (!finalizing) {
            // The recognizer's own endpoint: the turn is over, unless the caller has started again since a pause
            // (the endpoint is of the words before it).
            endedAtPause = false;
            return resumed && voice == Voice.SPEAKING ? Step.NONE : end();
        }
        finalizing = false;
        return next();
    }

    /** A piece of the turn's transcript to append; see {@link #fin(String, boolean, boolean)}. */
    public Step fin(String text, boolean endOfTurn) {
        return fin(text, endOfTurn, false);
    }

    /** The ended turn's words; the next speech opens a new turn. */
    public String take() {
        open = false;
        String all = words.toString();
        words.setLength(0);
        return all;
    }

    /** Whether a turn is collecting words. */
    public boolean open() {
        return open;
    }

    /** The turn's words so far: its finals. */
    public String words() {
        return words.toString();
    }

    /** Whether the open turn's speech has been silent for the whole hangover. */
    public boolean silent() {
        return open && voice == Voice.ENDED;
    }

    /** Whether a final was asked for and has not come. */
    public boolean finalizing() {
        return finalizing;
    }

    /** Whether the last turn ended at a short pause rather than after the whole hangover. */
    public boolean endedAtPause() {
        return endedAtPause;
    }

    private Step next() {
        if (!open || finalizing || voice == Voice.SPEAKING) {
            return Step.NONE;
        }
        if (unfinalized) {
            finalizing = true;
            unfinalized = false;
            return Step.FINALIZE;
        }
        if (voice == Voice.ENDED) {
            endedAtPause = false;
            return end();
        }
        if (Utterances.complete(words.toString())) {
            endedAtPause = true;
            return end();
        }
        return Step.NONE;
    }

    private Step end() {
        finalizing = false;
        unfinalized = false;
        return Step.END;
    }
}
