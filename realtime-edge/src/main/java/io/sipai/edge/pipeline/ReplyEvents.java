package io.sipai.edge.pipeline;

import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.pipeline.internal.Response;

/**
 * The brain's streamed answer to one request, moved onto the call's actor and tagged with the {@link Response} it
 * belongs to, so the pipeline can drop events of a reply that was interrupted meanwhile. Tool calls are collected on
 * the reply (they run once the brain is done) and count as its first token.
 */
final class ReplyEvents implements AgentBrain.ReplyListener {

    private final Response r;
    private final CallActor actor;
    private final TurnTracker turns;
    private final ConversationEvents events;

    ReplyEvents(Response r, CallActor actor, TurnTracker turns, ConversationEvents events) {
        this.r = r;
        this.actor = actor;
        this.turns = turns;
        this.events = events;
    }

    @Override
    public void text(String delta) {
        actor.execute(() -> events.replyText(r, delta));
    }

    @Override
    public void toolCall(AgentBrain.ToolCall call) {
        actor.execute(() -> {
            r.lastProgressNanos = System.nanoTime();
            r.toolCalls.add(call);
            turns.toolRequested(r);
        });
    }

    @Override
    public void done(boolean endCall) {
        actor.execute(() -> events.replyDone(r, endCall));
    }

    @Override
    public void failed(String error) {
        actor.execute(() -> events.replyFailed(r, error));
    }
}
