package io.sipai.processors.timeline;

import static io.sipai.testing.events.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.sipai.common.AdmissionCounters;
import io.sipai.common.EndReason;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallEvent;
import io.sipai.processors.testing.Drivers;
import io.sipai.processors.timeline.internal.TimelineTopology;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.runtime.tracing.TracingSettings;
import io.sipai.schemas.Topics;
import io.sipai.schemas.otlp.OtlpSpan;
import io.sipai.testing.events.Events;
import io.sipai.testing.otlp.OtlpReceiver;
import io.sipai.timeline.TimelineEntry;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The timeline's part of a call's trace, on the TopologyTestDriver with spans exported over OTLP to loopback. */
class TimelineTracingTest {

    private static final String CALL = "call-traced";

    private final OtlpReceiver collector = new OtlpReceiver();
    private final CallTracing tracing = CallTracing.of(new TracingSettings(collector.endpoint(), null),
            "stream-processors");
    private final TopologyTestDriver driver = Drivers.driver(TimelineTopology.build(TimelineOptions.defaults(),
            tracing), "timeline-tracing-test");
    private final TestInputTopic<String, CallEvent> events = Drivers.input(driver, Topics.CALL_EVENTS);
    private final TestOutputTopic<String, TimelineEntry> entries = Drivers.output(driver,
            Topics.CALL_TIMELINE_ENTRIES);

    @AfterEach
    void close() {
        driver.close();
        tracing.close();
        collector.close();
    }

    @Test
    void givenAWritersTraceparent_whenTheTimelineAppliesTheEvent_thenItsSpanIsTheChildAndTheEntryCarriesItOn() {
        // given a CallRequested whose writer named its span, and a CallStarted with no header
        Span writer = tracing.span("POST /v1/calls", CALL, CallTracing.callContext(CALL), SpanKind.SERVER)
                .startSpan();
        writer.end();
        RecordHeaders headers = new RecordHeaders();
        CallTracing.inject(headers, writer.getSpanContext());
        CallEvent requested = event(CALL, "t1", Events.requested());
        CallEvent admitted = event(CALL, "t1", CallAdmitted.newBuilder().setCounters(AdmissionCounters.newBuilder()
                .setGlobalActive(1).setGlobalLimit(10).setTenantActive(1).setTenantLimit(10).build())
                .setLeaseExpiresAt(Events.T0.plusSeconds(600)).build());
        // when they are applied, then the call starts and ends
        events.pipeInput(new TestRecord<>(CALL, requested, headers, Events.T0));
        events.pipeInput(CALL, admitted);
        events.pipeInput(CALL, event(CALL, "t1", Events.started()));
        events.pipeInput(CALL, event(CALL, "t1", Events.ended(EndReason.CALLER_HANGUP)));
        tracing.flush();

        // then each applied event has a span: under the writer's, or under the call's root without a header
        String rootId = Span.fromContext(CallTracing.callContext(CALL)).getSpanContext().getSpanId();
        await().atMost(Duration.ofSeconds(10)).until(() -> collector.trace(CallTracing.traceId(CALL)).stream()
                .anyMatch(span -> span.name().equals(CallTracing.ROOT_SPAN)));
        List<OtlpSpan> trace = collector.trace(CallTracing.traceId(CALL));
        OtlpSpan appliedRequest = named(trace, "timeline CallRequested");
        assertThat(appliedRequest.parentSpanId()).isEqualTo(writer.getSpanContext().getSpanId());
        assertThat(named(trace, "timeline CallAdmitted").parentSpanId()).isEqualTo(rootId);
        assertThat(named(trace, "timeline CallStarted").parentSpanId()).isEqualTo(rootId);
        // and the entry names the timeline's span, whose id readers without the header derive from the event id
        List<TestRecord<String, TimelineEntry>> written = entries.readRecordsToList();
        String traceparent = new String(written.getFirst().headers().lastHeader(CallTracing.TRACEPARENT).value(),
                StandardCharsets.US_ASCII);
        assertThat(traceparent).contains("-" + appliedRequest.spanId() + "-");
        assertThat(appliedRequest.spanId()).isEqualTo(Span.fromContext(CallTracing.eventContext(CALL,
                requested.getEventId())).getSpanContext().getSpanId());
        // and the end exports the root, once, from the request to the end
        assertThat(trace).filteredOn(span -> span.name().equals(CallTracing.ROOT_SPAN)).hasSize(1);
        OtlpSpan root = named(trace, CallTracing.ROOT_SPAN);
        assertThat(root.spanId()).isEqualTo(rootId);
        assertThat(root.attribute("sipai.status")).isEqualTo("ENDED");
        assertThat(root.endEpochNanos()).isGreaterThanOrEqualTo(root.startEpochNanos());
    }

    @Test
    void offMakesNoSpanAndLeavesTheHeadersAsTheyCame() {
        try (TopologyTestDriver untraced = Drivers.driver(TimelineTopology.build(), "timeline-untraced-test")) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("x-custom", new byte[] {1});
            Drivers.input(untraced, Topics.CALL_EVENTS).pipeInput(new TestRecord<>(CALL,
                    event(CALL, "t1", Events.requested()), headers, Events.T0));
            TestRecord<String, TimelineEntry> entry = Drivers.output(untraced, Topics.CALL_TIMELINE_ENTRIES)
                    .readRecord();
            assertThat(entry.headers().lastHeader(CallTracing.TRACEPARENT)).isNull();
            assertThat(entry.headers().lastHeader("x-custom")).isNotNull();
        }
    }

    private static OtlpSpan named(List<OtlpSpan> spans, String name) {
        return spans.stream().filter(span -> span.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }
}
