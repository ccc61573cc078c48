package io.sipai.bench.voice;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.Metrics;
import io.sipai.edge.pipeline.VoiceSettings;
import io.sipai.edge.pipeline.warmup.PipelineWarmUp;
import io.sipai.edge.pipeline.warmup.StandInVendors;
import io.sipai.edge.pipeline.warmup.SyntheticCalls;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Platform overhead of the voice pipeline per turn: N concurrent {@link SyntheticCalls}, each receiving 50 caller
 * frames per second, take turns against {@link StandInVendors} with fixed latencies. Voice-to-voice is measured from
 * the end of the caller's turn (the VAD's speech end) to the first agent audio frame handed to the transport;
 * overhead = voice-to-voice minus the vendors' fixed latencies. Every other turn the caller barges in after 300 ms
 * of agent audio; the barge-in reaction is speech detection (VAD start plus the 140 ms the agent's minimum
 * barge-in speech adds) to the clear sent. Before the measured load, {@code -Dwarmup=}: {@code load} (default) runs
 * the same load once unmeasured (its first turns are reported apart, "JVM just started"), {@code edge} runs the
 * edge's own startup warm-up ({@link PipelineWarmUp} with its default calls) so that the measured first turns are
 * those of a node that just reported ready, {@code none} measures a JVM that just started. Args: calls
 * turnsPerCall asrMs llmMs ttsMs.
 */
public final class VoicePipelineBenchmark {

    private static final String WARM_UP = System.getProperty("warmup", "load");
    private static final int BARGE_IN_AFTER_MS = 300;
    private static final int SENTENCE_AUDIO_MS = 1_000;

    private VoicePipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int turns = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        ExecutorService actors = Executors.newVirtualThreadPerTaskExecutor();
        StandInVendors vendors = new StandInVendors(timers, args.length > 2 ? Integer.parseInt(args[2]) : 150,
                args.length > 3 ? Integer.parseInt(args[3]) : 300, args.length > 4 ? Integer.parseInt(args[4]) : 100,
                SENTENCE_AUDIO_MS);
        VoiceSettings settings = VoiceSettings.defaults();
        Histogram coldJvm = new ConcurrentHistogram(3);
        Histogram unmeasured = new ConcurrentHistogram(3);
        try (SyntheticCalls synthetic = new SyntheticCalls(vendors, timers, actors, settings,
                Metrics.globalRegistry)) {
            long warmUpStart = System.nanoTime();
            switch (WARM_UP) {
                case "load" -> synthetic.run(calls, turns, BARGE_IN_AFTER_MS,
                        turn -> record(turn, vendors, coldJvm, unmeasured, unmeasured));
                case "edge" -> new PipelineWarmUp(settings.warmUpCalls(), timers, actors, settings).run();
                case "none" -> { }
                default -> throw new IllegalArgumentException("-Dwarmup must be load, edge or none");
            }
            System.out.printf(Locale.ROOT, "warm-up %s: %.1f s%n", WARM_UP, (System.nanoTime() - warmUpStart) / 1e9);
            measure(synthetic, calls, turns, vendors, coldJvm);
        }
        timers.shutdownNow();
        actors.shutdownNow();
    }

    private static void measure(SyntheticCalls synthetic, int calls, int turns, StandInVendors vendors,
                                Histogram coldJvm) throws InterruptedException {
        Histogram overhead = new ConcurrentHistogram(3);
        Histogram firstTurn = new ConcurrentHistogram(3);
        Histogram reaction = new ConcurrentHistogram(3);
        long cpuStart = cpuNanos();
        long wallStart = System.nanoTime();
        int failed = synthetic.run(calls, turns, BARGE_IN_AFTER_MS,
                turn -> record(turn, vendors, firstTurn, overhead, reaction));
        double wallSec = (System.nanoTime() - wallStart) / 1e9;
        double cpuSec = (cpuNanos() - cpuStart) / 1e9;
        System.out.printf(Locale.ROOT, "calls=%d turns/call=%d vendors=%d ms failed=%d wall=%.1f s cpu=%.1f s (%.0f%% "
                + "of one core)%n", calls, turns, vendors.totalMs(), failed, wallSec, cpuSec, 100 * cpuSec / wallSec);
        print("overhead per turn (voice-to-voice minus vendor latency)", overhead);
        print("overhead of each call's first turn", firstTurn);
        if (coldJvm.getTotalCount() > 0) {
            print("overhead of each call's first turn in the warm-up (JVM just started)", coldJvm);
        }
        print("barge-in reaction (speech detected -> clear sent)", reaction);
    }

    /** Files a turn: the first of a call apart from the others, and the barge-in reaction when it had one. */
    private static void record(SyntheticCalls.Turn turn, StandInVendors vendors, Histogram firstTurn,
                               Histogram overhead, Histogram reaction) {
        long micros = (turn.firstAudioNanos() - turn.speechEndNanos()) / 1_000 - vendors.totalMs() * 1_000L;
        (turn.index() == 0 ? firstTurn : overhead).recordValue(Math.max(0, micros));
        if (turn.bargeInNanos() != 0) {
            reaction.recordValue(Math.max(0, (turn.clearNanos() - turn.bargeInNanos()) / 1_000 - 140_000));
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
}
