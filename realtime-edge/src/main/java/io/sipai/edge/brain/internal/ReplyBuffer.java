package io.sipai.edge.brain.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.sipai.edge.brain.AgentBrain.ReplyListener;
import io.sipai.edge.brain.AgentBrain.ToolCall;

/**
 * The listener of a speculative reply: holds its events until the speculation is confirmed, then hands them and
 * every later one to the conversation's listener, in the order the brain produced them. A speculation that is never
 * confirmed is never heard of.
 */
final class ReplyBuffer implements ReplyListener {

    private final List<Consumer<ReplyListener>> held = new ArrayList<>();
    private ReplyListener target;
    private boolean failed;

    @Override
    public void text(String delta) {
        deliver(listener -> listener.text(delta));
    }

    @Override
    public void toolCall(ToolCall call) {
        deliver(listener -> listener.toolCall(call));
    }

    @Override
    public void done(boolean endCall) {
        deliver(listener -> listener.done(endCall));
    }

    @Override
    public synchronized void failed(String error) {
        failed = true;
        deliver(listener -> listener.failed(error));
    }

    /** Whether the reply failed before anyone heard of it (then it is not worth confirming: ask again). */
    synchronized boolean failedUnheard() {
        return failed && target == null;
    }

    /** From now on the events go to {@code listener}, those held first. */
    synchronized void attach(ReplyListener listener) {
        held.forEach(event -> event.accept(listener));
        held.clear();
        target = listener;
    }

    private synchronized void deliver(Consumer<ReplyListener> event) {
        if (target == null) {
            held.add(event);
        } else {
            event.accept(target);
        }
    }
}
