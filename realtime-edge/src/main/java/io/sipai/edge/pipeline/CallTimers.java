package io.sipai.edge.pipeline;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.sipai.common.EndReason;
import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.pipeline.internal.Response;

/**
 * The timers that nudge or end one call: the agent's maximum call duration (MAX_DURATION); a watchdog every 250 ms
 * that ends the call as ERROR when the brain, text-to-speech or speech-to-text made no progress within its timeout;
 * and caller silence, which gets one spoken prompt and then ends the call (SILENCE_TIMEOUT). Every timer fires on
 * the call's actor, and the methods are called on it only.
 */
final class CallTimers {

    private static final long WATCHDOG_MS = 250;

    private final PipelineParts parts;
    private final CallActor actor;
    private final TurnTracker turns;
    private final ConversationEvents events;
    private ScheduledFuture<?> silenceTimer;
    private ScheduledFuture<?> maxDuration;
    private ScheduledFuture<?> watchdog;
    private boolean prompted;

    CallTimers(PipelineParts parts, CallActor actor, TurnTracker turns, ConversationEvents events) {
        this.parts = parts;
        this.actor = actor;
        this.turns = turns;
        this.events = events;
    }

    /** Starts the maximum duration and the watchdog. */
    void start() {
        maxDuration = actor.schedule(() -> events.hangup(EndReason.MAX_DURATION, "maximum call duration of "
                + parts.maxDurationSec() + " s reached"), parts.maxDurationSec() * 1000L);
        watchdog = parts.timers().scheduleAtFixedRate(() -> actor.execute(this::checkTimeouts), WATCHDOG_MS,
                WATCHDOG_MS, TimeUnit.MILLISECONDS);
    }

    /** The caller spoke: silence starts over, with a prompt again before the hangup. */
    void callerSpoke() {
        cancelSilence();
        prompted = false;
    }

    /**
     * The agent is quiet and waits for the caller: after {@code delayMs} of silence the caller gets the prompt, or
     * the call ends if they already had it.
     */
    void armSilence(long delayMs) {
        cancelSilence();
        if (events.over()) {
            return;
        }
        silenceTimer = actor.schedule(() -> {
            if (events.response() != null || turns.userSpeaking() || events.over()) {
                return;
            }
            if (prompted) {
                events.hangup(EndReason.SILENCE_TIMEOUT, "no caller speech after the silence prompt");
                return;
            }
            prompted = true;
            events.promptSilence();
        }, delayMs);
    }

    void cancelSilence() {
        cancel(silenceTimer);
    }

    /** Stops every timer for good. */
    void close() {
        cancel(silenceTimer);
        cancel(maxDuration);
        cancel(watchdog);
    }

    private void checkTimeouts() {
        VoiceSettings settings = parts.settings();
        if (events.over()) {
            return;
        }
        if (turns.asrOverdue(settings.asrTimeoutMs())) {
            // Also while the agent is silent: a final that never comes would leave the caller's turn open forever.
            events.vendorFailed(EngineMeters.Stage.ASR, "asr " + parts.stt().engine()
                    + ": no final transcript within " + settings.asrTimeoutMs() + " ms");
            return;
        }
        Response r = events.response();
        if (r == null) {
            return;
        }
        long now = System.nanoTime();
        if (!r.brainDone && (now - r.lastProgressNanos) / 1_000_000 > settings.brainTimeoutMs()) {
            events.vendorFailed(EngineMeters.Stage.LLM, "brain " + parts.brain().name() + ": no reply within "
                    + settings.brainTimeoutMs() + " ms");
        } else if (r.synthesized < r.sentences.size() && r.ttsRequestNanos != 0
                && (now - r.lastProgressNanos) / 1_000_000 > settings.ttsTimeoutMs()) {
            events.vendorFailed(EngineMeters.Stage.TTS, "tts " + parts.tts().name() + ": no audio within "
                    + settings.ttsTimeoutMs() + " ms");
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
