package io.sipai.edge.pipeline;

import java.util.function.BiConsumer;

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
    private final BiConsumer<Response, String> text;
    private final BiConsumer<Response, Boolean> done;
    private final BiConsumer<Response, String> failed;

    /**
     * @param text   a piece of the reply's text
     * @param done   the brain finished the reply; true when it asked to end the call
     * @param failed the brain failed, with its error
     */
    ReplyEvents(Response r, CallActor actor, TurnTracker turns, BiConsumer<Response, String> text,
                BiConsumer<Response, Boolean> done, BiConsumer<Response, String> failed) {
        this.r = r;
        this.actor = actor;
        this.turns = turns;
        this.text = text;
        this.done = done;
        this.failed = failed;
    }

    @Override
    public void text(String delta) {
        actor.execute(() -> text.accept(r, delta));
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
        actor.execute(() -> done.accept(r, endCall));
    }

    @Override
    public void failed(String error) {
        actor.execute(() -> failed.accept(r, error));
    }
}
