package io.sipai.runtime.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.sipai.runtime.InvalidSettingException;
import io.sipai.schemas.otlp.OtlpSpan;
import io.sipai.testing.otlp.OtlpReceiver;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** One trace per call, exported over real OTLP/HTTP to a loopback receiver. */
class CallTracingTest {

    private final OtlpReceiver collector = new OtlpReceiver();
    private final CallTracing tracing = CallTracing.of(new TracingSettings(collector.endpoint(), null), "test-service");

    @AfterEach
    void stop() {
        tracing.close();
        collector.close();
    }

    @Test
    void aCallsTraceIdIsDerivedFromItsCallIdSoEveryServiceFindsIt() {
        assertThat(CallTracing.traceId("call-1")).matches("[0-9a-f]{32}").isEqualTo(CallTracing.traceId("call-1"))
                .isNotEqualTo(CallTracing.traceId("call-2"));
    }

    @Test
    void givenSpansOfACall_whenTheRootIsExportedAtItsEnd_thenTheyFormOneTreeUnderIt() {
        // given a span made under the call's root and one under it
        String callId = "call-" + System.nanoTime();
        Span media = tracing.span("edge.media", callId, CallTracing.callContext(callId), SpanKind.SERVER)
                .startSpan();
        tracing.inSpan("inner", callId, SpanKind.INTERNAL, () -> "done");
        media.end();
        // when the root is exported
        tracing.exportRoot(callId, "tenant-a", Instant.now().minusSeconds(5), Instant.now(), Attributes.empty());
        tracing.flush();
        // then
        String traceId = CallTracing.traceId(callId);
        await().atMost(Duration.ofSeconds(10)).until(() -> collector.trace(traceId).size() == 3);
        List<OtlpSpan> trace = collector.trace(traceId);
        OtlpSpan root = named(trace, CallTracing.ROOT_SPAN);
        assertThat(root.parentSpanId()).isNull();
        assertThat(root.spanId()).isEqualTo(CallTracing.rootSpanId(callId));
        assertThat(root.attribute("sipai.tenant_id")).isEqualTo("tenant-a");
        assertThat(named(trace, "edge.media").parentSpanId()).isEqualTo(root.spanId());
        assertThat(named(trace, "inner").parentSpanId()).as("no current span of the call: under the root")
                .isEqualTo(root.spanId());
        assertThat(trace).allSatisfy(span -> {
            assertThat(span.service()).isEqualTo("test-service");
            assertThat(span.attribute("sipai.call_id")).isEqualTo(callId);
        });
    }

    @Test
    void aReaderContinuesTheSpanARecordsTraceparentNamesAndTheRootOtherwise() {
        String callId = "call-hop";
        Span writer = tracing.span("writer", callId, CallTracing.callContext(callId), SpanKind.PRODUCER)
                .startSpan();
        RecordHeaders headers = new RecordHeaders();
        CallTracing.inject(headers, writer.getSpanContext());
        writer.end();

        assertThat(parent(headers, callId)).isEqualTo(writer.getSpanContext().getSpanId());
        assertThat(parent(headers, "another-call")).as("a traceparent of another call's trace")
                .isEqualTo(CallTracing.rootSpanId("another-call"));
        RecordHeaders garbage = new RecordHeaders();
        garbage.add(CallTracing.TRACEPARENT, "00-zz-not-a-span".getBytes(StandardCharsets.US_ASCII));
        assertThat(parent(garbage, callId)).isEqualTo(CallTracing.rootSpanId(callId));
        assertThat(parent(new RecordHeaders(), callId)).isEqualTo(CallTracing.rootSpanId(callId));
        RecordHeaders empty = new RecordHeaders();
        empty.add(CallTracing.TRACEPARENT, null);
        assertThat(parent(empty, callId)).as("a header without a value").isEqualTo(CallTracing.rootSpanId(callId));
    }

    @Test
    void anEventsSpanHasTheIdItsLaterReadersDeriveFromTheEventId() {
        Span span = tracing.startEventSpan("timeline CallStarted", "call-e", "event-7",
                CallTracing.callContext("call-e"), SpanKind.CONSUMER);
        span.end();
        SpanContext derived = Span.fromContext(CallTracing.eventContext("call-e", "event-7")).getSpanContext();
        assertThat(span.getSpanContext().getSpanId()).isEqualTo(derived.getSpanId());
        assertThat(span.getSpanContext().getTraceId()).isEqualTo(derived.getTraceId());
    }

    @Test
    void offMakesNothingAndStillRunsTheWork() {
        CallTracing off = CallTracing.of(TracingSettings.off(), "test-service");
        assertThat(off.on()).isFalse();
        assertThat(off.inSpan("work", "call-off", SpanKind.INTERNAL, () -> 42)).isEqualTo(42);
        assertThat(off.inSpan("work", "call-off", SpanKind.INTERNAL, () -> MDC.get(CallTracing.CALL_ID_MDC)))
                .as("the work's log lines name the call, tracing on or off").isEqualTo("call-off");
        assertThat(MDC.get(CallTracing.CALL_ID_MDC)).isNull();
        Span span = off.span("work", "call-off", CallTracing.callContext("call-off"), SpanKind.INTERNAL).startSpan();
        assertThat(span.getSpanContext().getSpanId()).as("a no-op span makes no id of its own")
                .isEqualTo(CallTracing.rootSpanId("call-off"));
        assertThat(span.isRecording()).isFalse();
    }

    @Test
    void aBadEndpointIsRefusedAtStartupNamingTheVariable() {
        assertThatThrownBy(() -> new TracingSettings("collector:4318", null))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT");
        assertThatThrownBy(() -> new TracingSettings("http://collector:4318", 5L))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_TIMEOUT");
    }

    private static String parent(RecordHeaders headers, String callId) {
        return Span.fromContext(CallTracing.parentOf(headers, callId)).getSpanContext().getSpanId();
    }

    private static OtlpSpan named(List<OtlpSpan> spans, String name) {
        return spans.stream().filter(span -> span.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }
}
