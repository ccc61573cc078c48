package io.sipai.bench.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.sipai.config.RecordingChannels;
import io.sipai.edge.recording.CallRecorder;
import io.sipai.edge.recording.RecordingWriter;
import io.sipai.runtime.recordings.FileRecordingStore;
import io.sipai.runtime.recordings.RecordingStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of recording a call on the edge: one operation is 20 ms of a call in which both sides talk (a caller frame
 * and an agent frame placed, mixed and written to a real file), and every minute of audio the recording is finished
 * (header rewritten, file synced and renamed) and a new one started. 200 concurrent calls cost
 * {@code 200 x 50 x} the time per operation each second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CallRecordingBenchmark {

    private static final int FRAME = 320;
    private static final int FRAMES_PER_RECORDING = 3_000;

    @Param({"DUAL", "MIXED"})
    public RecordingChannels channels;

    private Path dir;
    private RecordingStore store;
    private RecordingWriter writer;
    private CallRecorder recorder;
    private long nanos;
    private int frames;
    private int calls;
    private final short[] caller = tone(440);
    private final short[] agent = tone(660);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("recording-bench");
        store = new FileRecordingStore(dir);
        writer = new RecordingWriter(4096);
        recorder = newRecorder();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        CallRecorder.Result last = recorder.finish().get();
        writer.close();
        if (last.durationMs() == 0) {
            return;
        }
        System.out.printf(java.util.Locale.ROOT, "%n%s: %,d bytes for %d ms = %,d bytes per minute%n", channels,
                last.bytes(), last.durationMs(), last.durationMs() == 0 ? 0 : last.bytes() * 60_000
                        / last.durationMs());
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Benchmark
    public void twentyMillisecondsOfBothSides() throws Exception {
        nanos += 20_000_000L;
        recorder.agent(agent, FRAME);
        recorder.caller(caller, FRAME);
        if (++frames == FRAMES_PER_RECORDING) {
            // The file I/O runs on the writer's thread; waiting for it here counts it in the operation's cost.
            recorder.finish().get();
            Files.delete(dir.resolve("t").resolve("c" + calls + ".wav"));
            recorder = newRecorder();
        }
    }

    private CallRecorder newRecorder() {
        frames = 0;
        calls++;
        return new CallRecorder(store.create("t", "c" + calls, "wav"), writer, channels, () -> nanos);
    }

    private static short[] tone(int hz) {
        short[] pcm = new short[FRAME];
        for (int i = 0; i < FRAME; i++) {
            pcm[i] = (short) (6000 * Math.sin(2 * Math.PI * hz * i / 16_000.0));
        }
        return pcm;
    }
}
