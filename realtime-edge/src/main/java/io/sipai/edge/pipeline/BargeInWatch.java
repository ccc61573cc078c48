package io.sipai.edge.pipeline;

import java.util.function.Supplier;

import io.sipai.edge.endpointing.Utterances;
import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.pipeline.internal.Response;

/**
 * Caller speech during the agent's reply, for {@link CallConversation}: decides when it interrupts the reply (the
 * agent's {@link io.sipai.edge.endpointing.BargeInRule}: its minimum speech, then its backchannel window unless the
 * recognizer heard a word that takes the turn), and keeps a backchannel heard during the reply, which is no turn
 * unless the reply ends right after it (a "yes" said over the end of a question answers it). Used on the call's
 * actor only.
 */
final class BargeInWatch {

    /** Stops the reply {@code target} for caller speech that started at {@code offsetMs}, decided at the nanos. */
    @FunctionalInterface
    interface Interrupt {
        void interrupt(Response target, long offsetMs, long decidedNanos);
    }

    private static final long LATE_ANSWER_MS = 1500;

    private final PipelineParts parts;
    private final CallActor actor;
    private final TurnTracker turns;
    private final Supplier<Response> reply;
    private final Interrupt interrupt;
    /** When the caller's current speech was detected, and whether its words so far are more than a backchannel. */
    private long speechDetectedNanos;
    private long speechOffsetMs;
    private boolean callerTookTurn;
    private String acknowledgement;
    private long acknowledgedNanos;

    BargeInWatch(PipelineParts parts, CallActor actor, TurnTracker turns, Supplier<Response> reply,
                 Interrupt interrupt) {
        this.parts = parts;
        this.actor = actor;
        this.turns = turns;
        this.reply = reply;
        this.interrupt = interrupt;
    }

    /** The caller started speaking: a reply in progress is checked once the minimum speech has passed. */
    void speechStarted(long offsetMs, long detectedNanos) {
        speechDetectedNanos = detectedNanos;
        speechOffsetMs = offsetMs;
        callerTookTurn = false;
        acknowledgement = null;
        Response target = reply.get();
        if (target != null && parts.bargeInEnabled()) {
            long wait = Math.max(0, parts.bargeInMinMs() - parts.vadStartMs());
            if (wait == 0) {
                check(target, offsetMs, detectedNanos);
            } else {
                actor.schedule(() -> check(target, offsetMs, System.nanoTime()), wait);
            }
        }
    }

    /** A partial transcript of the speech going on: a word that is not a backchannel interrupts at once. */
    void callerWords(String text) {
        Response target = reply.get();
        if (target != null && parts.bargeInEnabled() && turns.userSpeaking() && !callerTookTurn
                && Utterances.takesTheTurn(text)) {
            callerTookTurn = true;
            if (parts.bargeInRule().moreMs(heardMs(), true) == 0) {
                check(target, speechOffsetMs, System.nanoTime());
            }
        }
    }

    /** Whether a turn with {@code text} only acknowledges the reply in progress (then kept for a late answer). */
    boolean acknowledges(String text) {
        if (reply.get() == null || parts.bargeInRule().backchannelMs() == 0 || !Utterances.backchannel(text)) {
            return false;
        }
        acknowledgement = text;
        acknowledgedNanos = System.nanoTime();
        return true;
    }

    /** The reply ended: the backchannel said just before, to answer after all, or null. */
    String lateAnswer() {
        String late = acknowledgement;
        acknowledgement = null;
        return late != null && (System.nanoTime() - acknowledgedNanos) / 1_000_000 < LATE_ANSWER_MS ? late : null;
    }

    private void check(Response target, long offsetMs, long decidedNanos) {
        if (target != reply.get() || !turns.userSpeaking()) {
            return;
        }
        long more = parts.bargeInRule().moreMs(heardMs(), callerTookTurn);
        if (more > 0) {
            // It may still be an "uh-huh": decided once it outlasts a backchannel, or its words take the turn.
            // The reaction is counted from that decision, as it is from the minimum speech without the window.
            actor.schedule(() -> check(target, offsetMs, System.nanoTime()), more);
            return;
        }
        interrupt.interrupt(target, offsetMs, decidedNanos);
    }

    /** How long the caller's current speech has gone on, counting the VAD's start delay. */
    private long heardMs() {
        return parts.vadStartMs() + (System.nanoTime() - speechDetectedNanos) / 1_000_000;
    }
}
