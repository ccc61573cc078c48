package io.sipai.gateway.traces;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.sipai.schemas.otlp.OtlpSpan;

/**
 * A call's trace as the API shows it ({@code GET /v1/calls/{id}/trace}).
 *
 * @param traceId the call's trace id
 * @param kept    whether this gateway keeps traces ({@code API_TRACES_RECEIVER}); when not, look the trace id up in
 *                the tracing backend the services export to
 * @param spans   the spans received so far, earliest first
 */
public record CallTraceView(String traceId, boolean kept, List<SpanView> spans) {

    /** One span: times in milliseconds from the trace's first span, so a waterfall needs no date arithmetic. */
    public record SpanView(String spanId, String parentSpanId, String name, String service, Instant startedAt,
                           double offsetMs, double durationMs, boolean error, Map<String, Object> attributes) {
    }

    public static CallTraceView of(String traceId, boolean kept, List<OtlpSpan> spans) {
        long first = spans.stream().mapToLong(OtlpSpan::startEpochNanos).min().orElse(0);
        return new CallTraceView(traceId, kept, spans.stream().map(span -> new SpanView(span.spanId(),
                span.parentSpanId(), span.name(), span.service(), Instant.ofEpochSecond(0, span.startEpochNanos()),
                (span.startEpochNanos() - first) / 1e6,
                Math.max(0, span.endEpochNanos() - span.startEpochNanos()) / 1e6, span.statusCode() == 2,
                span.attributes())).toList());
    }
}
