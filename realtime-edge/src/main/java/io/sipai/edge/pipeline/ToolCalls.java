package io.sipai.edge.pipeline;

import java.util.List;

import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.pipeline.internal.DtmfTones;
import io.sipai.edge.pipeline.internal.PendingTransfer;
import io.sipai.edge.pipeline.internal.Playback;
import io.sipai.edge.pipeline.internal.Response;
import io.sipai.edge.session.SessionOutput;
import io.sipai.edge.tools.ToolRunner;
import io.sipai.events.ToolCallCompleted;
import io.sipai.events.ToolCallRequested;

/**
 * Runs the tool calls of one call's replies: emits ToolCallRequested for each, runs it through the
 * {@link ToolRunner} (which never blocks) and, back on the call's actor, emits ToolCallCompleted, keeps the result
 * on the reply for the brain and applies a built-in's effect (end the call after the reply, play DTMF tones). A
 * {@code transfer_call} is only recorded on the reply as a {@link PendingTransfer}: {@link ProviderTransfer} runs it
 * once the reply played. Used on the call's actor only.
 */
final class ToolCalls {

    private final PipelineParts parts;
    private final SessionOutput output;
    private final CallActor actor;
    private final Playback playback;
    private final ConversationEvents events;

    ToolCalls(PipelineParts parts, SessionOutput output, CallActor actor, Playback playback,
              ConversationEvents events) {
        this.parts = parts;
        this.output = output;
        this.actor = actor;
        this.playback = playback;
        this.events = events;
    }

    /** Runs the tool calls the brain made in {@code r}; {@code r.pendingTools} counts the unfinished ones. */
    void run(Response r) {
        List<AgentBrain.ToolCall> calls = List.copyOf(r.toolCalls);
        r.toolCalls.clear();
        r.pendingTools = calls.size();
        for (AgentBrain.ToolCall call : calls) {
            output.emit(ToolCallRequested.newBuilder().setToolCallId(call.id()).setName(call.name())
                    .setArgumentsJson(call.argumentsJson()).build());
            long requested = System.nanoTime();
            parts.tools().run(parts.context(), call).thenAccept(outcome -> actor.execute(() -> {
                r.pendingTools--;
                if (outcome.effect() == ToolRunner.Effect.TRANSFER_CALL) {
                    // Runs once the reply played, so the caller hears "I'll put you through" before the hand-over.
                    r.transfer = new PendingTransfer(call, outcome.target(), requested);
                    events.settled(r);
                    return;
                }
                output.emit(completed(call, outcome.result().success(), outcome.error() == null
                        ? outcome.result().resultJson() : null, outcome.error(), outcome.durationMs()));
                r.toolResults.add(outcome.result());
                effect(r, call, outcome.effect());
                events.settled(r);
            }));
        }
    }

    /** The ToolCallCompleted event of one tool call. */
    static ToolCallCompleted completed(AgentBrain.ToolCall call, boolean success, String resultJson, String error,
                                       long durationMs) {
        return ToolCallCompleted.newBuilder().setToolCallId(call.id()).setName(call.name()).setSuccess(success)
                .setResultJson(resultJson).setError(error).setDurationMs(durationMs).build();
    }

    private void effect(Response r, AgentBrain.ToolCall call, ToolRunner.Effect effect) {
        switch (effect) {
            case END_CALL -> r.endCall = true;
            case SEND_DTMF -> {
                String digits = PipelineParts.argument(call.argumentsJson(), "digits");
                short[] tones = DtmfTones.of(digits == null ? "" : digits);
                playback.audio(tones, tones.length);
            }
            case NONE, TRANSFER_CALL -> {
                // An HTTP tool: its result goes back to the brain. A transfer never gets here (run).
            }
        }
    }
}
