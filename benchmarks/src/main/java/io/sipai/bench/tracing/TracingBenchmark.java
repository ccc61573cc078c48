package io.sipai.bench.tracing;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.Transport;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.TurnTimes;
import io.sipai.edge.session.internal.EdgeTraces;
import io.sipai.runtime.tracing.CallTracing;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What tracing adds to a turn on the edge: one operation is one answered turn of one of 200 live calls, turned into
 * its spans ({@code turn} and its five steps) on the calling thread, as the call's actor does when the first agent
 * audio goes out; with tracing off it is the lookup that finds nothing to do. Spans go to a batch processor whose
 * exporter (an empty composite: OpenTelemetry's no-op) discards them; the export runs on the processor's own
 * thread, off the call's path. Two threads, as the edge's two cores would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class TracingBenchmark {

    private static final int CALLS = 200;

    @Param({"off", "on"})
    public String tracing;

    private CallTracing calls;
    private EdgeTraces traces;
    private final String[] callIds = new String[CALLS];

    @Setup(Level.Trial)
    public void setUp() {
        calls = "on".equals(tracing) ? CallTracing.exportingTo(SpanExporter.composite(), "realtime-edge")
                : CallTracing.off();
        traces = new EdgeTraces(calls, "bench-edge");
        for (int i = 0; i < CALLS; i++) {
            callIds[i] = "bench-call-" + i;
            traces.started(new CallContext(callIds[i], "tenant", null, "agent", CallDirection.INBOUND,
                    Transport.TWILIO, null, null, Map.of(), null));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (String callId : callIds) {
            traces.ended(callId, EndReason.CALLER_HANGUP);
        }
        calls.close();
    }

    /** Per thread: which call answers next. */
    @State(Scope.Thread)
    public static class Caller {
        int next;
    }

    @Benchmark
    public void answeredTurn(Caller caller) {
        long sent = System.nanoTime();
        long speechEnd = sent - 900_000_000L;
        traces.turn(callIds[caller.next++ % CALLS], new TurnTimes(3, speechEnd, speechEnd + 700_000_000L,
                speechEnd + 760_000_000L, speechEnd + 761_000_000L, speechEnd + 820_000_000L,
                speechEnd + 830_000_000L, speechEnd + 880_000_000L, sent));
    }
}
