package io.sipai.dispatcher.delivery.internal;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sipai.webhook.AttemptOutcome;
import io.sipai.webhook.WebhookAttempt;

/**
 * Webhook attempts as operators watch them: how many ended how (delivered, retrying, dead-lettered, refused, endpoint
 * disabled), and how long endpoints took to answer. Labelled by outcome only (bounded); which subscription fails is
 * in the attempt log ({@code webhook.attempts.v1}, {@code GET /v1/webhooks/{id}/attempts}). Thread-safe.
 */
final class AttemptMeters {

    private final Map<AttemptOutcome, Counter> attempts = new EnumMap<>(AttemptOutcome.class);
    private final Timer latency;

    AttemptMeters(MeterRegistry meters) {
        for (AttemptOutcome outcome : AttemptOutcome.values()) {
            attempts.put(outcome, Counter.builder("webhook.attempts").tag("outcome",
                    outcome.name().toLowerCase(Locale.ROOT)).description("webhook delivery attempts, by outcome")
                    .register(meters));
        }
        this.latency = Timer.builder("webhook.attempt.latency").description("time an endpoint took to answer")
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10))
                .register(meters);
    }

    void observe(WebhookAttempt attempt) {
        attempts.get(attempt.getOutcome()).increment();
        if (attempt.getStatusCode() != null) {
            latency.record(attempt.getLatencyMs(), TimeUnit.MILLISECONDS);
        }
    }
}
