package io.sipai.edge.pipeline;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.sipai.common.EndReason;
import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.session.SessionOutput;
import io.sipai.edge.session.VoicePipeline;

/**
 * The voice pipeline of one call: speech-to-text, the agent's brain and text-to-speech in a closed loop with
 * turn-taking, barge-in, tools, transfers and timers, coordinated by a {@link CallConversation}. The session's
 * callbacks move onto the call's {@link CallActor}, so the conversation's state is touched by one task at a time;
 * only caller audio goes straight to the recognizer, on the connection's thread.
 */
public final class ConversationPipeline implements VoicePipeline {

    private final CallActor actor;
    private final CallConversation conversation;

    public ConversationPipeline(PipelineParts parts, SessionOutput output, CallActor actor) {
        this.actor = actor;
        this.conversation = new CallConversation(parts, output, actor);
        actor.execute(conversation::start);
    }

    @Override
    public void onAudio(short[] frame, int length, long offsetMs) {
        conversation.audio(frame, length, offsetMs);
    }

    @Override
    public void onSpeechStarted(long offsetMs) {
        long detectedNanos = System.nanoTime();
        actor.execute(() -> conversation.speechStarted(offsetMs, detectedNanos));
    }

    @Override
    public void onSpeechPaused(long offsetMs) {
        actor.execute(() -> conversation.speechPaused(offsetMs));
    }

    @Override
    public void onSpeechEnded(long offsetMs) {
        actor.execute(() -> conversation.speechEnded(offsetMs));
    }

    @Override
    public void onText(String text) {
        actor.execute(() -> conversation.text(text));
    }

    @Override
    public void onDtmf(String digits) {
        actor.execute(() -> conversation.dtmf(digits));
    }

    @Override
    public void onMarkPlayed(String name) {
        actor.execute(() -> conversation.markPlayed(name));
    }

    @Override
    public CompletionStage<Void> close(EndReason reason) {
        if (actor.onActorThread()) {
            // The agent itself ended the call (a task of this actor): close in place, a queued task would wait for it.
            conversation.close();
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        actor.execute(() -> {
            try {
                conversation.close();
            } finally {
                closed.complete(null);
            }
        });
        return closed;
    }

    /** Whether the agent is replying or playing (for tests and benchmarks). */
    public boolean speaking() {
        return conversation.speaking();
    }
}
