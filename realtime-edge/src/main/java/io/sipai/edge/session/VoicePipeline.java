package io.sipai.edge.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.sipai.common.EndReason;

/**
 * The conversation logic of one call (ASR, LLM, TTS, turn-taking), plugged into a call session. The session calls
 * these methods from the connection's inbound thread, one at a time and in order; implementations must return
 * quickly (hand slow work to their own threads) and talk back through the {@link SessionOutput} they were created
 * with.
 */
public interface VoicePipeline {

    /**
     * One 20 ms frame of caller audio, PCM16 16 kHz mono (320 samples). The array is reused after the call returns;
     * copy what you keep.
     *
     * @param offsetMs where the frame starts, milliseconds from the start of the call's audio
     */
    void onAudio(short[] frame, int length, long offsetMs);

    /** Voice activity detection heard the caller start speaking. */
    default void onSpeechStarted(long offsetMs) {
    }

    /** Voice activity detection heard the caller pause (a short silence that may end the turn). */
    default void onSpeechPaused(long offsetMs) {
    }

    /** Voice activity detection heard the caller stop speaking (after the hangover). */
    default void onSpeechEnded(long offsetMs) {
    }

    /** The caller typed text (own protocol). */
    default void onText(String text) {
    }

    /** The caller pressed digits. */
    default void onDtmf(String digits) {
    }

    /** The client reports a mark: the audio before it has played, or was cleared. */
    default void onMarkPlayed(String name) {
    }

    /**
     * The call is over; release resources. Called once, before the call's CallEnded is written: what the pipeline
     * still has to say in the log (an interrupted reply) it emits before the returned stage completes.
     */
    default CompletionStage<Void> close(EndReason reason) {
        return CompletableFuture.completedFuture(null);
    }
}
