package io.sipai.edge.pipeline;

import io.sipai.edge.endpointing.EndOfTurn;
import io.sipai.edge.pipeline.internal.Response;
import io.sipai.edge.session.SessionOutput;
import io.sipai.edge.session.TurnTimes;
import io.sipai.events.TurnMetrics;

/**
 * The caller's turns and their latency: counts turns like the session does (one per VAD speech start), decides when
 * a turn is over ({@link EndOfTurn}: at a short pause when the words so far are a finished utterance, else after
 * the VAD's whole silence, or at the recognizer's own endpoint), collects the transcript, and emits one TurnMetrics
 * per turn when the first agent audio of the reply is sent (and its steps' times, for the call's trace). Used on the
 * call's actor only.
 */
final class TurnTracker {

    private final SessionOutput output;
    private final EngineMeters engines;
    private final long silenceNanos;
    private final long pauseNanos;
    private final EndOfTurn endOfTurn = new EndOfTurn();
    private int turn;
    private boolean userSpeaking;
    private long startMs;
    /** Offset of the last pause or end of speech: where a final cuts the turn's audio. */
    private long silenceOffsetMs;
    /** When the caller's speech went silent (a pause or the whole silence ago); 0 while they speak. */
    private long silentSinceNanos;
    /** When the recognizer was last asked for its final. */
    private long endNanos;
    private long endOfSpeechNanos;
    private long asrFinalNanos;
    /** The recognizer's latest partial since the turn's last final: the words the finals do not have yet. */
    private String partial = "";
    private int metricsTurn;
    private Long llmFirstTokenMs;

    TurnTracker(SessionOutput output, int silenceMs, int pauseMs, EngineMeters engines) {
        this.output = output;
        this.engines = engines;
        this.silenceNanos = silenceMs * 1_000_000L;
        this.pauseNanos = pauseMs * 1_000_000L;
    }

    int turn() {
        return turn;
    }

    boolean userSpeaking() {
        return userSpeaking;
    }

    long startMs() {
        return startMs;
    }

    /** Offset up to which the recognizer finalizes the turn's audio. */
    long silenceOffsetMs() {
        return silenceOffsetMs;
    }

    void speechStarted(long offsetMs) {
        turn++;
        userSpeaking = true;
        silentSinceNanos = 0;
        if (!endOfTurn.open()) {
            startMs = offsetMs;
        }
        endOfTurn.speechStarted();
    }

    /** A short VAD silence: what to do next (finalize the words so far, end the turn, or wait). */
    EndOfTurn.Step speechPaused(long offsetMs) {
        userSpeaking = false;
        silenceOffsetMs = offsetMs;
        silentSinceNanos = System.nanoTime() - pauseNanos;
        return requested(endOfTurn.speechPaused());
    }

    /** The VAD's whole silence: what to do next. */
    EndOfTurn.Step speechEnded(long offsetMs) {
        userSpeaking = false;
        silenceOffsetMs = offsetMs;
        if (silentSinceNanos == 0) {
            silentSinceNanos = System.nanoTime() - silenceNanos;
        }
        EndOfTurn.Step step = endOfTurn.speechEnded();
        if (step == EndOfTurn.Step.END) {
            // Words that trailed off at a pause, held until now: the turn's end is this silence, not that pause.
            endNanos = System.nanoTime();
        }
        return requested(step);
    }

    /**
     * A final transcript of the audio from {@code fromMs} (the recognizer's own endpoint when {@code ends} answers no
     * request): what next. A final from the turn's start holds the whole turn's words so far.
     */
    EndOfTurn.Step finalTranscript(String text, boolean ends, long fromMs) {
        partial = "";
        boolean asked = endOfTurn.finalizing();
        EndOfTurn.Step step = endOfTurn.fin(text, ends, fromMs <= startMs);
        if (step == EndOfTurn.Step.END && !asked) {
            // The recognizer's endpoint came first; it also waited for a pause of about the same length.
            endNanos = System.nanoTime();
            silentSinceNanos = endNanos - silenceNanos;
        }
        return requested(step);
    }

    /** A partial transcript of the speech since the last final. */
    void partial(String text) {
        partial = text;
    }

    /**
     * The turn's words as heard so far (its finals and the latest partial after them), or blank when the recognizer
     * has given no partial since its last final (the latest speech is not in the words).
     */
    String heardSoFar() {
        if (partial.isBlank()) {
            return "";
        }
        String finals = endOfTurn.words();
        return finals.isEmpty() ? partial.strip() : finals + " " + partial.strip();
    }

    /** Whether the open turn's speech has been silent for the whole hangover (the turn ends with its next final). */
    boolean silent() {
        return endOfTurn.silent();
    }

    /** The ended turn's whole text (after {@link EndOfTurn.Step#END}). */
    String endTurn() {
        partial = "";
        long now = System.nanoTime();
        asrFinalNanos = now;
        if (endNanos == 0 || endNanos < silentSinceNanos) {
            endNanos = now;
        }
        endOfSpeechNanos = silentSinceNanos == 0 ? now : silentSinceNanos;
        return endOfTurn.take();
    }

    /** The ended turn gets a reply: its metrics are emitted when the reply's first audio is sent. */
    void answered() {
        metricsTurn = turn;
        llmFirstTokenMs = null;
    }

    private EndOfTurn.Step requested(EndOfTurn.Step step) {
        if (step == EndOfTurn.Step.FINALIZE) {
            endNanos = System.nanoTime();
        }
        return step;
    }

    boolean asrOverdue(long timeoutMs) {
        return endOfTurn.finalizing() && (System.nanoTime() - endNanos) / 1_000_000 > timeoutMs;
    }

    void brainRequested(Response r) {
        // Timings live on the response; nothing to do until its first token.
    }

    void firstToken(Response r) {
        if (r.firstTokenNanos == 0) {
            r.firstTokenNanos = System.nanoTime();
            if (metricsTurn == r.turn && metricsTurn > 0 && llmFirstTokenMs == null) {
                llmFirstTokenMs = (r.firstTokenNanos - r.requestNanos) / 1_000_000;
            }
        }
    }

    void toolRequested(Response r) {
        firstToken(r);
    }

    void audioSent(Response r, long sentNanos) {
        if (metricsTurn == 0 || metricsTurn != r.turn) {
            return;
        }
        metricsTurn = 0;
        Long tts = r.ttsFirstByteNanos == 0 || r.ttsRequestNanos == 0 ? null
                : (r.ttsFirstByteNanos - r.ttsRequestNanos) / 1_000_000;
        long voiceToVoice = Math.max(0, sentNanos - endOfSpeechNanos);
        output.emit(TurnMetrics.newBuilder().setTurn(r.turn).setAsrFinalMs((asrFinalNanos - endNanos) / 1_000_000)
                .setLlmFirstTokenMs(llmFirstTokenMs).setTtsFirstByteMs(tts)
                .setVoiceToVoiceMs(voiceToVoice / 1_000_000).build());
        engines.voiceToVoice(voiceToVoice);
        output.traceTurn(new TurnTimes(r.turn, endOfSpeechNanos, endNanos, asrFinalNanos, r.requestNanos,
                r.firstTokenNanos, r.ttsRequestNanos, r.ttsFirstByteNanos, sentNanos));
    }
}
