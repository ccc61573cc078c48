package io.sipai.edge.pipeline;

import io.sipai.edge.endpointing.EndOfTurn;

import io.sipai.common.EndReason;
import io.sipai.edge.pipeline.internal.Response;

/**
 * What the helpers of one call's conversation ({@link CallTimers}, {@link TranscriptEvents},
 * {@link SynthesisEvents}, {@link ReplyEvents}, {@link ToolCalls}, {@link ProviderTransfer}) tell its coordinator,
 * {@link CallConversation}, and the little they read back. Called on the call's actor, except {@link #response()},
 * which the synthesizer's thread reads too.
 */
interface ConversationEvents {

    /** The reply in progress, or null. */
    Response response();

    /** Whether the conversation is over: the call ended, or a transfer handed it to the provider. */
    boolean over();

    /** The end of the caller's turn moved on after a final transcript: finalize more audio, or end the turn. */
    void turnStep(EndOfTurn.Step step);

    /** The recognizer heard words of speech still going on (a partial transcript). */
    void callerWords(String text);

    /** A piece of reply {@code r}'s text streamed in. */
    void replyText(Response r, String delta);

    /** The brain finished reply {@code r}; {@code endCall} when it asked to end the call. */
    void replyDone(Response r, boolean endCall);

    /** The brain failed on reply {@code r}. */
    void replyFailed(Response r, String error);

    /** A tool call of {@code r}, or its failed transfer, settled: {@code r} may now be complete. */
    void settled(Response r);

    /** The provider took the call over: no more replies, prompts or silence timers. */
    void handedOver();

    /** The caller stayed silent: speak the silence prompt, with a {@code prompt-} mark after it. */
    void promptSilence();

    /** Ends the call, unless the conversation is over already. */
    void hangup(EndReason reason, String detail);

    /** Ends the call as ERROR with this detail. */
    default void fail(String detail) {
        hangup(EndReason.ERROR, detail);
    }

    /** A vendor ({@code stage}: recognizer, brain or synthesizer) failed the call: counted, then {@link #fail}. */
    default void vendorFailed(EngineMeters.Stage stage, String detail) {
        fail(detail);
    }
}
