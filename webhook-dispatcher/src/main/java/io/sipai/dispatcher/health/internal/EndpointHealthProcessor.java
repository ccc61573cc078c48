package io.sipai.dispatcher.health.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.subscriptions.SubscriptionStore;
import io.sipai.schemas.Topics;
import io.sipai.webhook.AttemptOutcome;
import io.sipai.webhook.WebhookAttempt;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Disables failing endpoints. Input: webhook.attempts.v1 repartitioned by subscriptionId, so one task sees every
 * attempt to one endpoint. Store {@value #HEALTH_STORE}: since when every attempt to the endpoint
 * has failed. An endpoint is disabled on a 410 (the worker's ENDPOINT_DISABLED attempt) or once it has failed
 * continuously for {@link #FAILING_LIMIT}; then it emits the subscription with {@code enabled=false} and the next
 * version (for webhook.subscriptions.v1, so the fan-out stops) and, for the 5-day rule, an ENDPOINT_DISABLED
 * attempt saying why. Exactly-once with the rest of the application.
 */
public final class EndpointHealthProcessor implements Processor<String, WebhookAttempt, String, HealthAction> {

    /** Per subscription: since when every attempt has failed (for the 5-day disable rule). */
    public static final String HEALTH_STORE = "webhook-endpoint-health";
    /** How long an endpoint may fail before it is disabled. */
    public static final Duration FAILING_LIMIT = Duration.ofDays(5);
    /** Prefix of the attempt ids this processor writes, so it never reacts to its own notices. */
    public static final String NOTICE_PREFIX = "endpoint-disabled/";

    private final Clock clock;
    private ProcessorContext<String, HealthAction> context;
    private KeyValueStore<String, Long> failingSince;
    private KeyValueStore<String, WebhookSubscription> subscriptions;

    public EndpointHealthProcessor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, HealthAction> context) {
        this.context = context;
        this.failingSince = context.getStateStore(HEALTH_STORE);
        this.subscriptions = context.getStateStore(SubscriptionStore.NAME);
    }

    @Override
    public void process(Record<String, WebhookAttempt> record) {
        WebhookAttempt attempt = record.value();
        if (!HealthSampler.relevant(attempt)) {
            return;
        }
        String subscriptionId = attempt.getSubscriptionId();
        AttemptOutcome outcome = attempt.getOutcome();
        if (outcome == AttemptOutcome.DELIVERED) {
            endStreak(subscriptionId);
        } else if (outcome == AttemptOutcome.ENDPOINT_DISABLED) {
            endStreak(subscriptionId);
            disable(attempt, null);
        } else {
            Long since = failingSince.get(subscriptionId);
            long attemptedAt = attempt.getAttemptedAt().toEpochMilli();
            if (since == null) {
                failingSince.put(subscriptionId, attemptedAt);
            } else if (attemptedAt - since >= FAILING_LIMIT.toMillis()) {
                failingSince.delete(subscriptionId);
                disable(attempt, "every attempt since " + Instant.ofEpochMilli(since) + " failed (last: "
                        + attempt.getError() + "); endpoint disabled after " + FAILING_LIMIT.toDays() + " days");
            }
        }
    }

    /** Healthy endpoints have no entry: a read is cheaper than a tombstone in the changelog per delivery. */
    private void endStreak(String subscriptionId) {
        if (failingSince.get(subscriptionId) != null) {
            failingSince.delete(subscriptionId);
        }
    }

    private void disable(WebhookAttempt trigger, String noticeReason) {
        WebhookSubscription current = subscriptions.get(trigger.getSubscriptionId());
        if (current == null || current.getDeleted() || !current.getEnabled()) {
            return;
        }
        Instant now = clock.instant();
        WebhookSubscription disabled = WebhookSubscription.newBuilder(current).setEnabled(false)
                .setVersion(current.getVersion() + 1).setUpdatedAt(now).build();
        long timestamp = context.currentSystemTimeMs();
        context.forward(new Record<>(current.getSubscriptionId(), new HealthAction.Disable(disabled), timestamp));
        if (noticeReason != null) {
            WebhookAttempt notice = WebhookAttempt.newBuilder(trigger)
                    .setAttemptId(NOTICE_PREFIX + current.getSubscriptionId() + "/" + disabled.getVersion())
                    .setAttemptedAt(now).setOutcome(AttemptOutcome.ENDPOINT_DISABLED).setLatencyMs(0)
                    .setError(noticeReason).setResponseBody(null).setNextAttemptAt(null).build();
            String key = Topics.webhookKey(trigger.getSubscriptionId(), trigger.getCallId());
            context.forward(new Record<>(key, new HealthAction.Notice(key, notice), timestamp));
        }
    }
}
