package io.sipai.processors.timeline.internal;

import java.time.Instant;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.sipai.events.CallEvent;
import io.sipai.events.TranscriptChunk;
import io.sipai.events.UserSpeechStarted;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.timeline.CallTimeline;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The timeline's part of a call's trace: a {@code timeline <EventType>} span for each event it accepts (a child of
 * the span its writer named in {@code traceparent}; the many transcript and speech-start events of a call are left
 * out), whose {@code traceparent} the timeline entry carries on to its readers, and whose span id is derived from
 * the event id ({@link CallTracing#eventContext}) for readers that keep the event but not its headers (the
 * dispatcher's queued deliveries); and, when the
 * call ends, the call's root span {@value CallTracing#ROOT_SPAN} from its request to its end. A replay after a crash
 * may export a span again; tracing backends show the repeat, nothing else depends on it.
 */
final class TimelineSpans {

    private static final AttributeKey<Long> SEQ = AttributeKey.longKey("sipai.seq");
    private static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("sipai.event_type");

    private final CallTracing tracing;

    TimelineSpans(CallTracing tracing) {
        this.tracing = tracing;
    }

    /**
     * The headers of the entry made from {@code event}: its input's, with {@code traceparent} naming the span
     * made for it (the input's own headers when tracing is off or the event is not traced).
     */
    Headers applied(CallEvent event, long seq, Headers input) {
        if (!tracing.on() || event.getPayload() instanceof TranscriptChunk
                || event.getPayload() instanceof UserSpeechStarted) {
            return input;
        }
        String type = event.getPayload().getClass().getSimpleName();
        Span span = tracing.startEventSpan("timeline " + type, event.getCallId(), event.getEventId(),
                CallTracing.parentOf(input, event.getCallId()), SpanKind.CONSUMER);
        span.setAttribute(SEQ, seq).setAttribute(EVENT_TYPE, type).end();
        Headers output = new RecordHeaders(input.toArray());
        CallTracing.inject(output, span.getSpanContext());
        return output;
    }

    /** The call's root span, once its timeline ended (or was rejected). */
    void ended(CallTimeline timeline) {
        if (!tracing.on()) {
            return;
        }
        Instant start = timeline.getRequestedAt() != null ? timeline.getRequestedAt() : timeline.getLastEventAt();
        Instant end = timeline.getEndedAt() != null ? timeline.getEndedAt() : timeline.getLastEventAt();
        tracing.exportRoot(timeline.getCallId(), timeline.getTenantId(), start, end, Attributes.of(
                AttributeKey.stringKey("sipai.status"), timeline.getStatus().name(),
                AttributeKey.stringKey("sipai.end_reason"), String.valueOf(timeline.getEndReason()),
                AttributeKey.longKey("sipai.turns"), (long) timeline.getTurns()));
    }
}
