package io.sipai.dispatcher.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.webhook.AttemptOutcome;
import io.sipai.webhook.WebhookAttempt;
import org.junit.jupiter.api.Test;

/** Attempts are counted by outcome, and endpoint answer times only where an endpoint answered. */
class AttemptMetersTest {

    @Test
    void attemptsAreCountedByOutcomeAndAnsweredOnesTimed() {
        // given
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AttemptMeters meters = new AttemptMeters(registry);

        // when an endpoint answers 200 in 120 ms, another 500 in 30 ms, and a third cannot be reached
        meters.observe(attempt(AttemptOutcome.DELIVERED, 200, 120));
        meters.observe(attempt(AttemptOutcome.RETRYING, 500, 30));
        meters.observe(attempt(AttemptOutcome.RETRYING, null, 5_000));

        // then
        assertThat(registry.get("webhook.attempts").tag("outcome", "delivered").counter().count()).isEqualTo(1);
        assertThat(registry.get("webhook.attempts").tag("outcome", "retrying").counter().count()).isEqualTo(2);
        assertThat(registry.get("webhook.attempts").tag("outcome", "dead_lettered").counter().count()).isZero();
        assertThat(registry.get("webhook.attempt.latency").timer().count()).isEqualTo(2);
        assertThat(registry.get("webhook.attempt.latency").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(150.0);
    }

    private static WebhookAttempt attempt(AttemptOutcome outcome, Integer status, long latencyMs) {
        return WebhookAttempt.newBuilder().setAttemptId("a").setWebhookId("w").setSubscriptionId("s")
                .setTenantId("t").setCallId("c").setEventType("call.ended").setAttempt(1)
                .setAttemptedAt(Instant.now()).setOutcome(outcome).setStatusCode(status).setLatencyMs(latencyMs)
                .build();
    }
}
