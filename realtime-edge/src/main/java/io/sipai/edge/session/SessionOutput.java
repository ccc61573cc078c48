package io.sipai.edge.session;

import java.util.concurrent.CompletableFuture;

import io.sipai.common.EndReason;
import io.sipai.schemas.telephony.TransferTarget;

/**
 * What a {@link VoicePipeline} can do to its call: play audio, place marks, clear playback, emit call events and hang
 * up. Safe to call from any thread; never blocks on the network.
 */
public interface SessionOutput {

    /** Plays PCM16 16 kHz mono samples to the caller; the array may be reused after the call returns. */
    void sendAudio(short[] pcm16k, int length);

    /** Places a mark after the audio sent so far; {@link VoicePipeline#onMarkPlayed} reports it. */
    void mark(String name);

    /** Drops audio the caller has not heard yet. */
    void clear();

    /** Shows a transcript to the caller where the protocol supports it. */
    void transcript(String text, boolean isFinal);

    /** Shows agent text to the caller where the protocol supports it. */
    void agentText(String text);

    /**
     * Emits a call event: {@code payload} is one of the {@code io.sipai.events} payload records (TranscriptChunk,
     * AgentUtterance, BargeIn, TurnMetrics, ...). The session adds the envelope. Never blocks.
     */
    void emit(Object payload);

    /** The steps of a finished turn, for the call's trace (nothing is done with them when tracing is off). */
    default void traceTurn(TurnTimes times) {
    }

    /**
     * Transfers the call to {@code target} through the transport ({@link MediaTransport#transfer}). Once the
     * transfer is under way, the provider ending the stream ends the call as TRANSFERRED, not as a caller hangup.
     */
    default CompletableFuture<MediaTransport.Transferred> transfer(TransferTarget target) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this session cannot transfer"));
    }

    /** Ends the call from the agent side and closes the connection normally. */
    void hangup(EndReason reason, String detail);
}
