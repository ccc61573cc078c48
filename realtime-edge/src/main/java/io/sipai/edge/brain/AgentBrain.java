package io.sipai.edge.brain;

import java.util.List;

import io.sipai.edge.session.CallContext;

/**
 * The agent's brain: turns what the caller said (or pressed) into what the agent says and which tools it runs.
 * One {@link Conversation} per call keeps the dialog state; each {@link Conversation#respond} streams one reply to
 * a {@link ReplyListener} and can be cancelled (barge-in).
 */
public interface AgentBrain {

    /** Provider name for logs and errors. */
    String name();

    /** Starts the conversation of one call. */
    Conversation start(CallContext context);

    /** The dialog of one call. {@link #respond} is called for one reply at a time. */
    interface Conversation {

        /** Streams the reply to {@code input}. */
        Reply respond(BrainInput input, ReplyListener listener);

        /** The caller cut the last reply: only {@code heardText} was heard; later replies should know. */
        default void interrupted(String heardText) {
        }
    }

    /** A reply in progress. */
    interface Reply {

        /** Stops the reply; the listener hears nothing more. Idempotent. */
        void cancel();
    }

    /** Receives one reply; called from the brain's threads, in order. */
    interface ReplyListener {

        /** A piece of the agent's text. */
        void text(String delta);

        /** The brain asks to run a tool; the results come back as {@link BrainInput.ToolResults}. */
        void toolCall(ToolCall call);

        /**
         * The reply is complete.
         *
         * @param endCall whether the agent ends the call once the reply was played
         */
        void done(boolean endCall);

        /** The brain failed (timeout, HTTP error, malformed stream). */
        void failed(String error);
    }

    /** A tool call the brain requested. */
    record ToolCall(String id, String name, String argumentsJson) {
    }

    /** A finished tool call to give back to the brain. */
    record ToolResult(ToolCall call, boolean success, String resultJson) {
    }

    /** What the brain responds to. */
    sealed interface BrainInput {

        /** The call just started: greet, or stay silent. */
        record Start() implements BrainInput {
        }

        /** The caller said (or typed) something. */
        record UserText(String text) implements BrainInput {
        }

        /** The caller pressed digits. */
        record Dtmf(String digits) implements BrainInput {
        }

        /** Results of the tools the previous reply asked for. */
        record ToolResults(List<ToolResult> results) implements BrainInput {
        }
    }
}
