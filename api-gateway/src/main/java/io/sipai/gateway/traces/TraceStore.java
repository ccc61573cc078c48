package io.sipai.gateway.traces;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sipai.schemas.otlp.OtlpSpan;

/**
 * The spans of the last {@link TraceViewSettings#maxCalls()} traces, in memory: what this gateway instance received
 * (the one-machine run has one). Thread-safe.
 */
public final class TraceStore {

    static final int MAX_SPANS_PER_TRACE = 5_000;

    private final int maxTraces;
    private final Map<String, Map<String, OtlpSpan>> traces;

    public TraceStore(int maxTraces) {
        this.maxTraces = maxTraces;
        this.traces = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<String, OtlpSpan>> eldest) {
                return size() > TraceStore.this.maxTraces;
            }
        };
    }

    public synchronized void add(List<OtlpSpan> spans) {
        for (OtlpSpan span : spans) {
            Map<String, OtlpSpan> trace = traces.computeIfAbsent(span.traceId(), id -> new LinkedHashMap<>());
            // A span exported again (a timeline replayed after a crash makes the same ids) is kept once.
            if (trace.size() < MAX_SPANS_PER_TRACE) {
                trace.putIfAbsent(span.spanId(), span);
            }
        }
    }

    /** The trace's spans, earliest first (empty when none arrived). */
    public synchronized List<OtlpSpan> trace(String traceId) {
        Map<String, OtlpSpan> trace = traces.getOrDefault(traceId, Map.of());
        return trace.values().stream().sorted(Comparator.comparingLong(OtlpSpan::startEpochNanos)).toList();
    }
}
