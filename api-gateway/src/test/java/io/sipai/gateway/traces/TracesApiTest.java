package io.sipai.gateway.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.sipai.common.CallDirection;
import io.sipai.common.Transport;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.runtime.tracing.TracingSettings;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's own trace store (API_TRACES_RECEIVER, on in these tests as in the one-machine run): a service's real
 * OTLP exporter sends spans to {@code /otlp/v1/traces}, and the call's tenant reads them as the call's trace.
 */
class TracesApiTest extends GatewayTest {

    @Test
    void givenSpansExportedToTheGateway_whenTheTenantReadsTheCallsTrace_thenItGetsThemAsATreeOnTheCallsTimeAxis() {
        // given a call of the tenant, and its spans exported by a service's tracer to this gateway
        String callId = "traced-" + UUID.randomUUID();
        String tenant = tenantOf(ADMIN_KEY);
        TestKafka.produce(Topics.CALL_TIMELINE, callId, List.of(CallTimeline.newBuilder().setCallId(callId)
                .setTenantId(tenant).setStatus(CallStatus.ENDED).setDirection(CallDirection.INBOUND)
                .setTransport(Transport.WEBSOCKET).setRequestedAt(Instant.now()).setEntryCount(1)
                .setLastEventId("e1").setLastEventAt(Instant.now()).setVersion(1).build()));
        String media;
        try (CallTracing edge = CallTracing.of(new TracingSettings(uri("/otlp").toString(), null), "realtime-edge")) {
            Span span = edge.span("edge.media", callId, CallTracing.callContext(callId), SpanKind.SERVER)
                    .startSpan();
            media = span.getSpanContext().getSpanId();
            span.end();
            edge.exportRoot(callId, tenant, Instant.now().minusSeconds(2), Instant.now(), Attributes.empty());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", "/v1/calls/" + callId, ADMIN_KEY, null)
                .status() == 200);

        // when
        Answer answer = call("GET", "/v1/calls/" + callId + "/trace", ADMIN_KEY, null);

        // then
        assertThat(answer.status()).isEqualTo(200);
        JsonNode trace = answer.json();
        assertThat(trace.get("traceId").stringValue()).isEqualTo(CallTracing.traceId(callId));
        assertThat(trace.get("kept").booleanValue()).isTrue();
        JsonNode spans = trace.get("spans");
        assertThat(spans.size()).isEqualTo(2);
        assertThat(spans.get(0).get("name").stringValue()).as("earliest first").isEqualTo("call");
        assertThat(spans.get(0).get("offsetMs").doubleValue()).isZero();
        assertThat(spans.get(1).get("spanId").stringValue()).isEqualTo(media);
        assertThat(spans.get(1).get("parentSpanId").stringValue()).isEqualTo(spans.get(0).get("spanId").stringValue());
        assertThat(spans.get(1).get("service").stringValue()).isEqualTo("realtime-edge");
        assertThat(call("GET", "/v1/calls/" + callId, ADMIN_KEY, null).json().get("traceId").stringValue())
                .isEqualTo(CallTracing.traceId(callId));

        // and another tenant cannot read it
        String otherKey = newTenant("other-" + UUID.randomUUID());
        assertThat(call("GET", "/v1/calls/" + callId + "/trace", otherKey, null).status()).isEqualTo(404);
    }

    @Test
    void aRequestThroughAProxyIsNotTakenThoughItsPeerIsThisMachine() {
        HttpRequest request = HttpRequest.newBuilder(uri("/otlp/v1/traces"))
                .header("Content-Type", "application/x-protobuf").header("X-Forwarded-For", "203.0.113.9")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build();
        assertThat(send(request).status()).isEqualTo(404);
    }

    @Test
    void aBodyThatIsNotAnOtlpRequestIsRefusedWithAProblem() {
        HttpRequest request = HttpRequest.newBuilder(uri("/otlp/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0x0a, (byte) 0xff, 0x01}))
                .build();
        Answer answer = send(request);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("detail").stringValue()).contains("OTLP");
    }
}
