package io.sipai.edge.pipeline;

import io.sipai.edge.asr.TranscriptListener;
import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.session.SessionOutput;
import io.sipai.events.TranscriptChunk;

/**
 * One call's recognizer callbacks, moved onto the call's actor: partial and final transcripts go to the caller and
 * into the call's events (TranscriptChunk), a final that ends the caller's turn ({@link TurnTracker}) hands the
 * turn's whole text on, and a recognizer failure ends the call.
 */
final class TranscriptEvents implements TranscriptListener {

    private final PipelineParts parts;
    private final SessionOutput output;
    private final CallActor actor;
    private final TurnTracker turns;
    private final ConversationEvents events;

    TranscriptEvents(PipelineParts parts, SessionOutput output, CallActor actor, TurnTracker turns,
                     ConversationEvents events) {
        this.parts = parts;
        this.output = output;
        this.actor = actor;
        this.turns = turns;
        this.events = events;
    }

    @Override
    public void partial(String text, float confidence, long startMs, long endMs) {
        actor.execute(() -> {
            output.transcript(text, false);
            output.emit(chunk(text, false, confidence, startMs, endMs));
            turns.partial(text);
            events.callerWords(text);
        });
    }

    @Override
    public void fin(String text, float confidence, long startMs, long endMs, boolean endOfTurn) {
        actor.execute(() -> {
            if (!text.isBlank()) {
                output.transcript(text, true);
                output.emit(chunk(text, true, confidence, startMs, endMs));
            }
            events.turnStep(turns.finalTranscript(text, endOfTurn, startMs));
        });
    }

    @Override
    public void failed(String error) {
        actor.execute(() -> events.vendorFailed(EngineMeters.Stage.ASR, "asr " + parts.stt().engine() + ": " + error));
    }

    private TranscriptChunk chunk(String text, boolean isFinal, float confidence, long startMs, long endMs) {
        return TranscriptChunk.newBuilder().setText(text).setIsFinal(isFinal).setConfidence(confidence)
                .setAudioStartMs(startMs).setAudioEndMs(endMs).setTurn(turns.turn())
                .setEngine(parts.stt().engine()).build();
    }
}
