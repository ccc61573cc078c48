package io.sipai.bench.voice;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Platform overhead of the voice pipeline per turn: N concurrent calls, each receiving 50 caller frames per second,
 * take turns against vendor stand-ins with fixed latencies ({@link FixedLatencyVendors}). Voice-to-voice is measured
 * from the end of the caller's turn (the VAD's speech end) to the first agent audio frame handed to the transport;
 * overhead = voice-to-voice minus the vendors' fixed latencies. Every other turn the caller barges in after 300 ms
 * of agent audio; the barge-in reaction is speech detection (VAD start plus the 140 ms the agent's minimum
 * barge-in speech adds) to the clear sent. The same load runs once unmeasured first (JIT warm-up; its first turns are
 * reported apart). Args: calls turnsPerCall asrMs llmMs ttsMs.
 */
public final class VoicePipelineBenchmark {

    private static final boolean DEBUG = Boolean.getBoolean("bench.debug");
    /** {@code -Dwarmup=false} measures the first batch of calls on a JVM that just started. */
    private static final boolean WARM_UP = Boolean.parseBoolean(System.getProperty("warmup", "true"));

    private VoicePipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int turns = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        FixedLatencyVendors vendors;
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        vendors = new FixedLatencyVendors(timers, args.length > 2 ? Integer.parseInt(args[2]) : 150,
                args.length > 3 ? Integer.parseInt(args[3]) : 300, args.length > 4 ? Integer.parseInt(args[4]) : 100);
        ExecutorService actors = Executors.newVirtualThreadPerTaskExecutor();
        Histogram overhead = new ConcurrentHistogram(3);
        Histogram coldOverhead = new ConcurrentHistogram(3);
        Histogram reaction = new ConcurrentHistogram(3);
        List<Call> live = new CopyOnWriteArrayList<>();
        short[] silence = new short[320];
        long[] offset = {0};
        timers.scheduleAtFixedRate(() -> {
            offset[0] += 20;
            live.forEach(c -> c.pipeline.onAudio(silence, silence.length, offset[0]));
        }, 20, 20, TimeUnit.MILLISECONDS);
        ToolRunner tools = new ToolRunner(new io.sipai.runtime.ssrf.SsrfGuard(List.of()), new WebhookSigner(null));

        Histogram coldJvm = new ConcurrentHistogram(3);
        if (WARM_UP) {
            // The same load once, unmeasured, except for what a first turn costs on a JVM that just started.
            runCalls(calls, turns, vendors, tools, timers, actors, live, new ConcurrentHistogram(3), coldJvm,
                    new ConcurrentHistogram(3));
        }
        long cpuStart = cpuNanos();
        long wallStart = System.nanoTime();
        runCalls(calls, turns, vendors, tools, timers, actors, live, overhead, coldOverhead, reaction);
        double wallSec = (System.nanoTime() - wallStart) / 1e9;
        double cpuSec = (cpuNanos() - cpuStart) / 1e9;
        System.out.printf(Locale.ROOT, "calls=%d turns/call=%d vendors=%d ms wall=%.1f s cpu=%.1f s (%.0f%% of one "
                        + "core)%n", calls, turns, vendors.totalMs(), wallSec, cpuSec, 100 * cpuSec / wallSec);
        print("overhead per turn (voice-to-voice minus vendor latency)", overhead);
        print("overhead of each call's first turn", coldOverhead);
        if (WARM_UP) {
            print("overhead of each call's first turn in the warm-up (JVM just started)", coldJvm);
        }
        print("barge-in reaction (speech detected -> clear sent)", reaction);
        timers.shutdownNow();
        actors.shutdownNow();
    }

    private static void runCalls(int calls, int turns, FixedLatencyVendors vendors, ToolRunner tools,
                                 ScheduledExecutorService timers, ExecutorService actors, List<Call> live,
                                 Histogram overhead, Histogram firstTurn, Histogram reaction)
            throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            int id = i;
            threads.add(Thread.ofVirtual().start(() -> {
                Call call = new Call();
                CallContext context = new CallContext("bench-" + id, "bench", null, null, CallDirection.INBOUND,
                        Transport.WEBSOCKET, null, null, Map.of(), null);
                call.pipeline = new ConversationPipeline(new PipelineParts(context, vendors.stt(), vendors.brain(),
                        vendors.tts(), tools, timers, VoiceSettings.defaults(), 60, 700), call,
                        new CallActor(actors, timers));
                live.add(call);
                try {
                    for (int t = 0; t < turns; t++) {
                        call.turn(t == 0 ? firstTurn : overhead, reaction, vendors.totalMs(), t % 2 == 1);
                    }
                } catch (Exception e) {
                    System.err.println("call " + id + " failed: " + e);
                } finally {
                    live.remove(call);
                    call.pipeline.close(EndReason.CALLER_HANGUP);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void print(String name, Histogram h) {
        System.out.printf(Locale.ROOT, "%s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms%n", name, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** One simulated caller and the transport side of its session. */
    private static final class Call implements SessionOutput {

        volatile ConversationPipeline pipeline;
        private volatile CompletableFuture<Long> firstAudio = new CompletableFuture<>();
        private volatile CompletableFuture<Long> cleared = new CompletableFuture<>();
        private volatile CompletableFuture<Boolean> played = new CompletableFuture<>();
        private long offsetMs;

        void turn(Histogram overhead, Histogram reaction, int vendorMs, boolean bargeIn) throws Exception {
            reset();
            pipeline.onSpeechStarted(offsetMs += 1000);
            long end = System.nanoTime();
            pipeline.onSpeechEnded(offsetMs += 700);
            long first = firstAudio.get(30, TimeUnit.SECONDS);
            overhead.recordValue(Math.max(0, (first - end) / 1000 - vendorMs * 1000L));
            if (bargeIn) {
                CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS))
                        .get();
                cleared = new CompletableFuture<>();
                long speech = System.nanoTime();
                pipeline.onSpeechStarted(offsetMs += 300);
                long clear = cleared.get(30, TimeUnit.SECONDS);
                reaction.recordValue(Math.max(0, (clear - speech) / 1000 - 140_000));
                reset();
                pipeline.onSpeechEnded(offsetMs += 700);
                firstAudio.get(30, TimeUnit.SECONDS);
            }
            played.get(30, TimeUnit.SECONDS);
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
            if (DEBUG) {
                System.err.println(System.nanoTime() / 1_000_000 + " clear");
            }
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
            if (DEBUG) {
                System.err.println(System.nanoTime() / 1_000_000 + " " + payload);
            }
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
