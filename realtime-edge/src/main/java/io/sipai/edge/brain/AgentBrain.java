package io.sipai.edge.brain;

import java.util.List;

import io.sipai.edge.session.CallContext;

/**
 * The agent's brain: turns what the caller said (or pressed) into what the agent says and which tools it runs.
 * One {@link Conversation} per call keeps the dialog state; each {@link Conversation#respond} streams one reply to
 * a {@link ReplyListener} and can be cancelled (barge-in). A brain that takes time to answer (an LLM) may also
 * {@link Conversation#speculate speculate}: start the reply to words the caller may still change, and have it
 * confirmed or dropped when their turn ends.
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

        /**
         * Starts the reply to {@code input} before the caller's turn is over; the dialog is unchanged until the
         * speculation is {@link Speculation#confirm confirmed}, and a dropped one leaves no trace in it.
         *
         * @return the speculation, or null when this brain does not speculate (it answers at once anyway)
         */
        default Speculation speculate(BrainInput.UserText input) {
            return null;
        }

        /**
         * The caller cut the last reply: only {@code heardText} was heard (blank: none of it); later replies should
         * know, and nothing of it that was not heard stays in the dialog.
         */
        default void interrupted(String heardText) {
        }
    }

    /** A reply started on words the caller may still change: confirmed or cancelled once their turn ended. */
    interface Speculation {

        /**
         * The turn ended with the words it was started on: it becomes the conversation's reply to them, its events
         * so far delivered to {@code listener} at once and the rest as they come, and the words enter the dialog.
         *
         * @return the reply, or null when the dialog changed since it started (then it is cancelled; respond anew)
         */
        Reply confirm(ReplyListener listener);

        /** The words changed or the caller went on: the reply stops and nothing of it enters the dialog. */
        void cancel();
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
