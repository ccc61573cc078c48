package io.sipai.runtime.tracing.internal;

import java.util.function.Supplier;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Random ids, except for the spans whose ids are derived from what they describe (a call's root, exported once by
 * the timeline when the call ends; the timeline's span of each event): {@link #forced} gives the next span made on
 * this thread those ids.
 */
public final class CallIds implements IdGenerator {

    private static final ThreadLocal<String[]> FORCED = new ThreadLocal<>();

    /**
     * Runs {@code body}, which makes one span, with that span getting {@code spanId} (and {@code traceId}, when it
     * is a root; the SDK asks for the span id first).
     */
    public static <T> T forced(String traceId, String spanId, Supplier<T> body) {
        FORCED.set(new String[] {traceId, spanId});
        try {
            return body.get();
        } finally {
            FORCED.remove();
        }
    }

    @Override
    public String generateTraceId() {
        String[] forced = FORCED.get();
        return forced != null ? forced[0] : IdGenerator.random().generateTraceId();
    }

    @Override
    public String generateSpanId() {
        String[] forced = FORCED.get();
        return forced != null ? forced[1] : IdGenerator.random().generateSpanId();
    }
}
