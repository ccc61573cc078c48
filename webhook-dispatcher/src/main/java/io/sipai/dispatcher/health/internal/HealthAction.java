package io.sipai.dispatcher.health.internal;

import io.sipai.config.WebhookSubscription;
import io.sipai.webhook.WebhookAttempt;

/** What the endpoint-health processor emits when it disables an endpoint. */
public sealed interface HealthAction {

    /** The subscription record with {@code enabled=false} and the next version, for webhook.subscriptions.v1. */
    record Disable(WebhookSubscription subscription) implements HealthAction {
    }

    /** An {@code ENDPOINT_DISABLED} attempt record for webhook.attempts.v1 that says why. */
    record Notice(String key, WebhookAttempt attempt) implements HealthAction {
    }
}
