package io.sipai.edge.pipeline.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.edge.codec.MuLaw;
import io.sipai.edge.codec.Resampler;
import io.sipai.edge.pipeline.VoiceSettings;
import io.sipai.edge.vad.EnergyVad;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the edge's hot code before the node reports ready, so that the first calls on a node that just started do
 * not pay for class loading and the JIT (measured: 96-115 ms on the first turns of 200 calls starting together,
 * docs/benchmarks.md): {@code calls} {@link SyntheticCalls} at once take {@code turns} turns each through the real
 * pipeline with instant {@link StandInVendors}, and the caller audio path (mu-law, resampling, the VAD) runs over a
 * few thousand frames; then it waits for the JIT to finish compiling what they made hot. Nothing leaves the process: no event, no metric of the service's registry, no vendor request.
 * Runs once on its own thread; {@link #warm()} turns true when it finished (also when a synthetic call failed,
 * which is logged: a warm-up is never a reason for a node to stay unready).
 */
public final class PipelineWarmUp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineWarmUp.class);
    private static final int TURNS = 5;
    private static final int BARGE_IN_AFTER_MS = 50;
    private static final int SENTENCE_AUDIO_MS = 500;
    private static final int AUDIO_FRAMES = 20_000;
    private static final Duration COMPILER_QUIET = Duration.ofMillis(200);
    private static final Duration COMPILER_WAIT = Duration.ofSeconds(5);

    private final int calls;
    private final ScheduledExecutorService timers;
    private final ExecutorService actors;
    private final VoiceSettings settings;
    private volatile boolean warm;
    private volatile Thread thread;

    public PipelineWarmUp(int calls, ScheduledExecutorService timers, ExecutorService actors,
                          VoiceSettings settings) {
        this.calls = calls;
        this.timers = timers;
        this.actors = actors;
        this.settings = settings;
        this.warm = calls == 0;
    }

    /** Starts the warm-up on its own thread, unless there is nothing to do. */
    public PipelineWarmUp start() {
        if (!warm) {
            thread = Thread.ofPlatform().daemon().name("pipeline-warm-up").start(this::runLogged);
        }
        return this;
    }

    /** Whether the warm-up finished (at once when it runs no call). */
    public boolean warm() {
        return warm;
    }

    /** Runs the warm-up on the calling thread. */
    public void run() throws InterruptedException {
        audioPath();
        StandInVendors vendors = new StandInVendors(timers, 0, 0, 0, SENTENCE_AUDIO_MS);
        try (SyntheticCalls synthetic = new SyntheticCalls(vendors, timers, actors, settings,
                new SimpleMeterRegistry())) {
            int failed = synthetic.run(calls, TURNS, BARGE_IN_AFTER_MS, turn -> { });
            if (failed > 0) {
                LOG.warn("pipeline warm-up: {} of {} synthetic calls failed", failed, calls);
            }
        }
        awaitCompilerQuiet();
        warm = true;
    }

    /**
     * Waits (at most {@link #COMPILER_WAIT}) until the JIT compiled nothing for {@link #COMPILER_QUIET}: what the
     * synthetic calls made hot is queued for compilation when they end, and calls arriving before it is compiled
     * would still run it interpreted.
     */
    private static void awaitCompilerQuiet() throws InterruptedException {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + COMPILER_WAIT.toNanos();
        long last = compiler.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(COMPILER_QUIET);
            long now = compiler.getTotalCompilationTime();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    private void runLogged() {
        long start = System.nanoTime();
        try {
            run();
            LOG.info("pipeline warm-up: {} synthetic calls of {} turns in {} ms", calls, TURNS,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("pipeline warm-up failed; the node reports ready without it", e);
            warm = true;
        }
    }

    /** Caller audio as a Twilio call brings it: mu-law 8 kHz decoded, resampled to 16 kHz, through the VAD. */
    private static void audioPath() {
        byte[] encoded = new byte[160];
        short[] pcm8k = new short[160];
        Resampler up = new Resampler(8_000, 16_000);
        short[] pcm16k = new short[up.maxOutput(pcm8k.length)];
        EnergyVad vad = new EnergyVad(-45, 60, 700, 20);
        for (int frame = 0; frame < AUDIO_FRAMES; frame++) {
            for (int i = 0; i < pcm8k.length; i++) {
                pcm8k[i] = (short) (frame % 100 < 50 ? 4000 * Math.sin((frame * 160 + i) * 0.2) : 0);
            }
            MuLaw.encode(pcm8k, pcm8k.length, encoded);
            MuLaw.decode(encoded, encoded.length, pcm8k);
            vad.accept(pcm16k, up.resample(pcm8k, pcm8k.length, pcm16k));
        }
    }

    @Override
    public void close() {
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }
}
