package io.sipai.edge.pipeline.warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.Transport;
import io.sipai.edge.pipeline.ConversationPipeline;
import io.sipai.edge.pipeline.PipelineParts;
import io.sipai.edge.pipeline.VoiceSettings;
import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.SessionOutput;
import io.sipai.edge.tools.ToolRunner;
import io.sipai.edge.tools.WebhookSigner;
import io.sipai.events.AgentUtterance;
import io.sipai.runtime.ssrf.SsrfGuard;

/**
 * Calls through the real {@link ConversationPipeline} without a connection, a broker or a vendor: each call gets
 * 20 ms of caller silence every 20 ms and takes turns (speech start, speech end, the reply played with every mark
 * acknowledged at once); every other turn the caller barges in after {@code bargeInAfterMs} of agent audio. What the
 * pipeline emits goes nowhere. The edge warms up with them ({@link PipelineWarmUp}); the pipeline benchmark times
 * their turns.
 */
public final class SyntheticCalls implements AutoCloseable {

    private static final long TURN_TIMEOUT_SECONDS = 30;

    /**
     * The moments of one turn, in {@link System#nanoTime()}: the caller's speech end and the first agent audio after
     * it; for a barge-in turn also the caller's interrupting speech start and the clear it caused (else 0).
     */
    public record Turn(int index, long speechEndNanos, long firstAudioNanos, long bargeInNanos, long clearNanos) {
    }

    private final StandInVendors vendors;
    private final ScheduledExecutorService timers;
    private final ExecutorService actors;
    private final VoiceSettings settings;
    private final MeterRegistry meters;
    private final ToolRunner tools = new ToolRunner(new SsrfGuard(List.of()), new WebhookSigner(null));
    private final List<Call> live = new CopyOnWriteArrayList<>();
    private final AtomicLong offsetMs = new AtomicLong();
    private final AtomicInteger ids = new AtomicInteger();
    private final ScheduledFuture<?> feeder;

    public SyntheticCalls(StandInVendors vendors, ScheduledExecutorService timers, ExecutorService actors,
                          VoiceSettings settings, MeterRegistry meters) {
        this.vendors = vendors;
        this.timers = timers;
        this.actors = actors;
        this.settings = settings;
        this.meters = meters;
        short[] silence = new short[320];
        this.feeder = timers.scheduleAtFixedRate(() -> {
            long offset = offsetMs.addAndGet(20);
            live.forEach(c -> c.pipeline.onAudio(silence, silence.length, offset));
        }, 20, 20, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code calls} calls at once, {@code turns} turns each, and returns when all ended.
     *
     * @return how many calls failed (a turn that did not complete within 30 s)
     */
    public int run(int calls, int turns, int bargeInAfterMs, Consumer<Turn> onTurn) throws InterruptedException {
        AtomicInteger failed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            threads.add(Thread.ofVirtual().name("synthetic-call-", i).start(() -> {
                Call call = new Call(pipelineParts());
                live.add(call);
                try {
                    for (int t = 0; t < turns; t++) {
                        onTurn.accept(call.turn(t, t % 2 == 1, bargeInAfterMs));
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                } finally {
                    live.remove(call);
                    call.pipeline.close(EndReason.CALLER_HANGUP);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return failed.get();
    }

    /**
     * A call without an agent, with the fixed end of turn and no backchannel window: its speech has no words, and a
     * barge-in decided at the minimum speech is what the callers wait for.
     */
    private PipelineParts pipelineParts() {
        CallContext context = new CallContext("synthetic-" + ids.incrementAndGet(), "synthetic", null, null,
                CallDirection.INBOUND, Transport.WEBSOCKET, null, null, Map.of(), null);
        return new PipelineParts(context, vendors.stt(), vendors.brain(), vendors.tts(), tools, timers, settings, 60,
                700, 0, 0, meters);
    }

    @Override
    public void close() {
        feeder.cancel(false);
    }

    /** One caller and the transport side of its session. */
    private final class Call implements SessionOutput {

        private final ConversationPipeline pipeline;
        private volatile CompletableFuture<Long> firstAudio = new CompletableFuture<>();
        private volatile CompletableFuture<Long> cleared = new CompletableFuture<>();
        private volatile CompletableFuture<Boolean> played = new CompletableFuture<>();
        private long callOffsetMs;

        Call(PipelineParts parts) {
            this.pipeline = new ConversationPipeline(parts, this, new CallActor(actors, timers));
        }

        Turn turn(int index, boolean bargeIn, int bargeInAfterMs) throws Exception {
            reset();
            pipeline.onSpeechStarted(callOffsetMs += 1000);
            long end = System.nanoTime();
            pipeline.onSpeechEnded(callOffsetMs += 700);
            long first = firstAudio.get(TURN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long speech = 0;
            long clear = 0;
            if (bargeIn) {
                Thread.sleep(bargeInAfterMs);
                cleared = new CompletableFuture<>();
                speech = System.nanoTime();
                pipeline.onSpeechStarted(callOffsetMs += bargeInAfterMs);
                clear = cleared.get(TURN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                reset();
                pipeline.onSpeechEnded(callOffsetMs += 700);
                firstAudio.get(TURN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            played.get(TURN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new Turn(index, end, first, speech, clear);
        }

        private void reset() {
            firstAudio = new CompletableFuture<>();
            played = new CompletableFuture<>();
        }

        @Override
        public void sendAudio(short[] pcm16k, int length) {
            firstAudio.complete(System.nanoTime());
        }

        @Override
        public void mark(String name) {
            pipeline.onMarkPlayed(name);
        }

        @Override
        public void clear() {
            cleared.complete(System.nanoTime());
        }

        @Override
        public void transcript(String text, boolean isFinal) {
        }

        @Override
        public void agentText(String text) {
        }

        @Override
        public void emit(Object payload) {
            if (payload instanceof AgentUtterance u && !u.getInterrupted()) {
                played.complete(true);
            }
        }

        @Override
        public void hangup(EndReason reason, String detail) {
            played.completeExceptionally(new IllegalStateException("hung up: " + reason + " " + detail));
        }
    }
}
