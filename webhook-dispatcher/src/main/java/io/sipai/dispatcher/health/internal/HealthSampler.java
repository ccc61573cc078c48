package io.sipai.dispatcher.health.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.sipai.dispatcher.delivery.Attempts;
import io.sipai.webhook.AttemptOutcome;
import io.sipai.webhook.WebhookAttempt;

/**
 * Decides which attempt records the endpoint-health processor must see, so that the repartition by subscription
 * (an exactly-once write and read per record) is paid for failures, not for every delivery. Failures, 410s and
 * disable notices always pass: they start or end a failure streak. A DELIVERED attempt only ends a streak, so per
 * subscription one passes, then further ones are skipped for {@link #DELIVERED_EVERY} unless a failure of that
 * subscription passed in between. The memory is per JVM and starts empty (the first success after a restart always
 * passes); with several instances a success seen only by one of them can reach the health processor up to
 * {@link #DELIVERED_EVERY} late, which shifts the 5-day rule by at most that much. Thread-safe: shared by the
 * stream threads.
 */
public final class HealthSampler {

    /** At most one DELIVERED attempt per subscription and interval passes while no failure is seen. */
    public static final Duration DELIVERED_EVERY = Duration.ofMinutes(1);

    private final Clock clock;
    private final Map<String, Long> deliveredPassedAt = new ConcurrentHashMap<>();

    public HealthSampler(Clock clock) {
        this.clock = clock;
    }

    /** True when the attempt matters for endpoint health and must be repartitioned. */
    public boolean pass(WebhookAttempt attempt) {
        if (!relevant(attempt)) {
            return false;
        }
        String subscriptionId = attempt.getSubscriptionId();
        if (attempt.getOutcome() != AttemptOutcome.DELIVERED) {
            deliveredPassedAt.remove(subscriptionId);
            return true;
        }
        long now = clock.millis();
        Long last = deliveredPassedAt.get(subscriptionId);
        if (last != null && now >= last && now - last < DELIVERED_EVERY.toMillis()) {
            return false;
        }
        deliveredPassedAt.put(subscriptionId, now);
        return true;
    }

    /** Attempts the health processor ignores anyway: its own notices and attempts that made no request. */
    static boolean relevant(WebhookAttempt attempt) {
        return attempt != null && !attempt.getAttemptId().startsWith(EndpointHealthProcessor.NOTICE_PREFIX)
                && !Attempts.ENDPOINT_UNAVAILABLE.equals(attempt.getError());
    }
}
