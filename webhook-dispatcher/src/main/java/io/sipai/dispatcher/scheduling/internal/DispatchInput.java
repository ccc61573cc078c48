package io.sipai.dispatcher.scheduling.internal;

import io.sipai.webhook.WebhookAttempt;
import io.sipai.webhook.WebhookDelivery;

/** What the scheduler reads: a new delivery from the outbox, or the result of an attempt. */
public sealed interface DispatchInput {

    /** A delivery from webhook.outbox.v1. */
    record NewDelivery(WebhookDelivery delivery) implements DispatchInput {
    }

    /** An attempt record from webhook.attempts.v1. */
    record AttemptResult(WebhookAttempt attempt) implements DispatchInput {
    }
}
