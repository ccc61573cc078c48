package io.sipai.dispatcher.delivery.internal;

import java.time.Instant;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.webhook.AttemptOutcome;
import io.sipai.webhook.WebhookAttempt;
import io.sipai.webhook.WebhookDelivery;

/**
 * One {@code webhook.attempt} span per delivery attempt, in the call's trace under the timeline's span of the event
 * it delivers ({@link CallTracing#eventContext}: the webhook id is the event id, and a queued delivery no longer has
 * the record headers), or under the call's root for transcripts, which the timeline does not trace. Attributes:
 * subscription, event type, attempt number, outcome, HTTP status.
 */
final class AttemptSpans {

    /** Webhook types of the events the timeline makes no span for (TranscriptChunk: transcript.partial|final). */
    private static final String UNTRACED_TYPES = "transcript.";

    private final CallTracing tracing;

    AttemptSpans(CallTracing tracing) {
        this.tracing = tracing;
    }

    /** A start time for {@link #attempted}, or 0 when tracing is off. */
    long start() {
        return tracing.on() ? CallTracing.epochNanos(Instant.now()) : 0;
    }

    void attempted(WebhookDelivery delivery, WebhookAttempt attempt, long startEpochNanos) {
        if (!tracing.on()) {
            return;
        }
        AttributesBuilder attributes = Attributes.builder()
                .put(AttributeKey.stringKey("sipai.subscription_id"), delivery.getSubscriptionId())
                .put(AttributeKey.stringKey("sipai.event_type"), delivery.getEventType())
                .put(AttributeKey.longKey("sipai.attempt"), (long) attempt.getAttempt())
                .put(AttributeKey.stringKey("sipai.webhook.outcome"), attempt.getOutcome().name());
        if (attempt.getStatusCode() != null) {
            attributes.put(AttributeKey.longKey("http.response.status_code"), (long) attempt.getStatusCode());
        }
        long end = CallTracing.epochNanos(Instant.now());
        tracing.spanned("webhook.attempt", delivery.getCallId(), parent(delivery), startEpochNanos, end,
                attributes.build(), attempt.getOutcome() == AttemptOutcome.DELIVERED ? null
                        : String.valueOf(attempt.getError()));
    }

    /** The timeline's span of the event, except for transcripts, which the timeline does not trace: the root. */
    private static Context parent(WebhookDelivery delivery) {
        return delivery.getEventType().startsWith(UNTRACED_TYPES) ? CallTracing.callContext(delivery.getCallId())
                : CallTracing.eventContext(delivery.getCallId(), delivery.getWebhookId());
    }

}
