package io.sipai.edge.pipeline;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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
    private final Supplier<Response> response;
    private final BooleanSupplier closed;
    private final BiConsumer<EndReason, String> hangup;
    private final Runnable prompt;
    private ScheduledFuture<?> silenceTimer;
    private ScheduledFuture<?> maxDuration;
    private ScheduledFuture<?> watchdog;
    private boolean prompted;

    /**
     * @param response the reply in progress, or null
     * @param closed   whether the conversation is over (ended, or handed over by a transfer)
     * @param hangup   ends the call, unless the conversation is over already
     * @param prompt   speaks the silence prompt, with a {@code prompt-} mark after it
     */
    CallTimers(PipelineParts parts, CallActor actor, TurnTracker turns, Supplier<Response> response,
               BooleanSupplier closed, BiConsumer<EndReason, String> hangup, Runnable prompt) {
        this.parts = parts;
        this.actor = actor;
        this.turns = turns;
        this.response = response;
        this.closed = closed;
        this.hangup = hangup;
        this.prompt = prompt;
    }

    /** Starts the maximum duration and the watchdog. */
    void start() {
        maxDuration = actor.schedule(() -> hangup.accept(EndReason.MAX_DURATION, "maximum call duration of "
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
        if (closed.getAsBoolean()) {
            return;
        }
        silenceTimer = actor.schedule(() -> {
            if (response.get() != null || turns.userSpeaking() || closed.getAsBoolean()) {
                return;
            }
            if (prompted) {
                hangup.accept(EndReason.SILENCE_TIMEOUT, "no caller speech after the silence prompt");
                return;
            }
            prompted = true;
            prompt.run();
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
        Response r = response.get();
        if (r == null || closed.getAsBoolean()) {
            return;
        }
        long now = System.nanoTime();
        VoiceSettings settings = parts.settings();
        if (!r.brainDone && (now - r.lastProgressNanos) / 1_000_000 > settings.brainTimeoutMs()) {
            fail("brain " + parts.brain().name() + ": no reply within " + settings.brainTimeoutMs() + " ms");
        } else if (r.synthesized < r.sentences.size() && r.ttsRequestNanos != 0
                && (now - r.lastProgressNanos) / 1_000_000 > settings.ttsTimeoutMs()) {
            fail("tts " + parts.tts().name() + ": no audio within " + settings.ttsTimeoutMs() + " ms");
        } else if (turns.asrOverdue(settings.asrTimeoutMs())) {
            fail("asr " + parts.stt().engine() + ": no final transcript within " + settings.asrTimeoutMs() + " ms");
        }
    }

    private void fail(String detail) {
        hangup.accept(EndReason.ERROR, detail);
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
