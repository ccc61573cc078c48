package io.sipai.edge.pipeline;

import io.sipai.edge.pipeline.internal.Response;
import io.sipai.edge.session.SessionOutput;
import io.sipai.edge.session.TurnTimes;
import io.sipai.events.TurnMetrics;

/**
 * The caller's turns and their latency: counts turns like the session does (one per VAD speech start), decides when
 * a turn is over (VAD silence or the recognizer's endpoint, whichever comes first, once), collects the transcript,
 * and emits one TurnMetrics per turn when the first agent audio of the reply is sent (and its steps' times, for the
 * call's trace). Used on the call's actor only.
 */
final class TurnTracker {

    private final SessionOutput output;
    private final EngineMeters engines;
    private final long silenceNanos;
    private final StringBuilder finals = new StringBuilder();
    private int turn;
    private boolean userSpeaking;
    private boolean turnOpen;
    private boolean awaitingFinal;
    private long startMs;
    private long nextStartMs = -1;
    private long endNanos;
    private long endOfSpeechNanos;
    private long asrFinalNanos;
    private int metricsTurn;
    private Long llmFirstTokenMs;

    TurnTracker(SessionOutput output, int silenceMs, EngineMeters engines) {
        this.output = output;
        this.engines = engines;
        this.silenceNanos = silenceMs * 1_000_000L;
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

    void speechStarted(long offsetMs) {
        turn++;
        userSpeaking = true;
        if (awaitingFinal) {
            // The previous turn still waits for its transcript; this speech opens the next one after it.
            nextStartMs = offsetMs;
            return;
        }
        if (!turnOpen) {
            turnOpen = true;
            startMs = offsetMs;
            finals.setLength(0);
        }
    }

    /** VAD silence; true when this ends the open turn (ask the recognizer for its final). */
    boolean speechEnded(long offsetMs) {
        userSpeaking = false;
        if (!turnOpen || awaitingFinal) {
            return false;
        }
        awaitingFinal = true;
        endNanos = System.nanoTime();
        endOfSpeechNanos = endNanos - silenceNanos;
        return true;
    }

    /** A final transcript; the whole turn's text when it ends the turn, else null. */
    String finalTranscript(String text, boolean endOfTurn) {
        if (!turnOpen) {
            return null;
        }
        if (!text.isBlank()) {
            finals.append(finals.isEmpty() ? "" : " ").append(text.strip());
        }
        if (!endOfTurn) {
            return null;
        }
        long now = System.nanoTime();
        if (!awaitingFinal) {
            // The recognizer's endpoint came first; it also waited for a pause of about the same length.
            endNanos = now;
            endOfSpeechNanos = now - silenceNanos;
        }
        asrFinalNanos = now;
        turnOpen = nextStartMs >= 0;
        startMs = Math.max(startMs, nextStartMs);
        nextStartMs = -1;
        awaitingFinal = false;
        String all = finals.toString();
        finals.setLength(0);
        if (!all.isBlank()) {
            metricsTurn = turn;
            llmFirstTokenMs = null;
        }
        return all;
    }

    boolean asrOverdue(long timeoutMs) {
        return awaitingFinal && (System.nanoTime() - endNanos) / 1_000_000 > timeoutMs;
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
