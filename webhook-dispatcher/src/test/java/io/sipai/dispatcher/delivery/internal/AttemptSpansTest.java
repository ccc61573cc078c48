package io.sipai.dispatcher.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import io.opentelemetry.api.trace.Span;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.runtime.tracing.TracingSettings;
import io.sipai.schemas.otlp.OtlpSpan;
import io.sipai.testing.otlp.OtlpReceiver;
import io.sipai.webhook.AttemptOutcome;
import io.sipai.webhook.WebhookAttempt;
import io.sipai.webhook.WebhookDelivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delivery attempts in the call's trace, exported over OTLP to loopback. */
class AttemptSpansTest {

    private final OtlpReceiver collector = new OtlpReceiver();
    private final CallTracing tracing = CallTracing.of(new TracingSettings(collector.endpoint(), null),
            "webhook-dispatcher");
    private final AttemptSpans spans = new AttemptSpans(tracing);

    @AfterEach
    void close() {
        tracing.close();
        collector.close();
    }

    @Test
    void givenAFailedAttempt_whenTraced_thenItIsAnErrorSpanUnderTheTimelinesSpanOfTheEventItDelivers() {
        // given
        WebhookDelivery delivery = WebhookDelivery.newBuilder().setWebhookId("event-1").setSubscriptionId("sub-1")
                .setTenantId("t1").setCallId("call-w").setEventType("call.ended").setOccurredAt(Instant.now())
                .setPayloadJson("{}").setReplay(false).setAttempts(0).setLastError(null).build();
        WebhookAttempt attempt = WebhookAttempt.newBuilder().setAttemptId("a-1").setWebhookId("event-1")
                .setSubscriptionId("sub-1").setTenantId("t1").setCallId("call-w").setEventType("call.ended")
                .setAttempt(1).setAttemptedAt(Instant.now()).setOutcome(AttemptOutcome.RETRYING).setStatusCode(503)
                .setLatencyMs(12).setError("HTTP 503").setResponseBody(null).setNextAttemptAt(null).build();
        // when
        spans.attempted(delivery, attempt, spans.start());
        tracing.flush();
        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> !collector.trace(CallTracing.traceId("call-w")).isEmpty());
        OtlpSpan span = collector.trace(CallTracing.traceId("call-w")).getFirst();
        assertThat(span.name()).isEqualTo("webhook.attempt");
        assertThat(span.parentSpanId()).isEqualTo(Span.fromContext(CallTracing.eventContext("call-w", "event-1"))
                .getSpanContext().getSpanId());
        assertThat(span.attribute("http.response.status_code")).isEqualTo(503L);
        assertThat(span.attribute("sipai.webhook.outcome")).isEqualTo("RETRYING");
        assertThat(span.statusCode()).as("STATUS_CODE_ERROR").isEqualTo(2);
    }

    @Test
    void offCostsNothing() {
        AttemptSpans off = new AttemptSpans(CallTracing.off());
        assertThat(off.start()).isZero();
    }
}
