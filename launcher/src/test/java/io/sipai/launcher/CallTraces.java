package io.sipai.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Predicate;

import io.opentelemetry.api.trace.Span;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.otlp.OtlpSpan;

/**
 * What the platform's trace of one call must look like, checked on the spans the services exported: one trace id
 * derived from the call id, the root span from the timeline, and each hop over Kafka a parent-child link between the
 * writer's span and the reader's.
 */
final class CallTraces {

    private final String callId;
    private final List<OtlpSpan> spans;

    CallTraces(String callId, List<OtlpSpan> spans) {
        this.callId = callId;
        this.spans = spans;
    }

    /** The spans of a call whose media ran on realtime-edge with the agent answering at least one turn. */
    void assertOneTreeAcrossTheServices() {
        String rootId = Span.fromContext(CallTracing.callContext(callId)).getSpanContext().getSpanId();
        OtlpSpan root = one(CallTracing.ROOT_SPAN);
        assertThat(root.spanId()).isEqualTo(rootId);
        assertThat(root.parentSpanId()).isNull();
        assertThat(root.service()).isEqualTo("stream-processors");
        assertThat(spans).allSatisfy(span -> {
            assertThat(span.traceId()).isEqualTo(CallTracing.traceId(callId));
            assertThat(span.attribute("sipai.call_id")).as(span.name()).isEqualTo(callId);
        });

        // the media session on the edge, and the turns under it, each step under its turn
        OtlpSpan media = one("edge.media");
        assertThat(media.service()).isEqualTo("realtime-edge");
        assertThat(media.parentSpanId()).isEqualTo(rootId);
        List<OtlpSpan> turns = all(span -> span.name().equals("turn"));
        assertThat(turns).isNotEmpty().allSatisfy(turn -> {
            assertThat(turn.parentSpanId()).isEqualTo(media.spanId());
            assertThat(turn.attribute("sipai.voice_to_voice_ms")).isInstanceOf(Long.class);
        });
        OtlpSpan turn = turns.getFirst();
        assertThat(all(span -> turn.spanId().equals(span.parentSpanId())).stream().map(OtlpSpan::name))
                .contains("turn.endpointing", "turn.asr", "turn.llm", "turn.tts", "turn.playback");

        // Kafka hops: edge -> timeline, edge's request -> admission -> timeline
        assertThat(one("timeline CallStarted").parentSpanId()).as("the edge's CallStarted record names its span")
                .isEqualTo(media.spanId());
        assertThat(one("timeline CallEnded").parentSpanId()).isEqualTo(media.spanId());
        OtlpSpan acquire = one("admission.acquire");
        OtlpSpan decide = one("admission.decide");
        assertThat(decide.service()).isEqualTo("stream-processors");
        assertThat(decide.parentSpanId()).as("the AcquireSlot command names the requester's span")
                .isEqualTo(acquire.spanId());
        assertThat(one("timeline CallAdmitted").parentSpanId()).as("CallAdmitted names the decision's span")
                .isEqualTo(decide.spanId());
    }

    OtlpSpan one(String name) {
        List<OtlpSpan> named = all(span -> span.name().equals(name));
        assertThat(named).as("spans named " + name + " among " + spans.stream().map(OtlpSpan::name).toList())
                .hasSize(1);
        return named.getFirst();
    }

    private List<OtlpSpan> all(Predicate<OtlpSpan> which) {
        return spans.stream().filter(which).toList();
    }
}
