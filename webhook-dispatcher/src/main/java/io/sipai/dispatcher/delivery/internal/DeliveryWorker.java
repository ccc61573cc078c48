package io.sipai.dispatcher.delivery.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.delivery.Attempts;
import io.sipai.dispatcher.delivery.DeliveryJob;
import io.sipai.dispatcher.retry.RetryPolicy;
import io.sipai.dispatcher.signing.SigningKeys;
import io.sipai.dispatcher.signing.WebhookSigner;
import io.sipai.runtime.secrets.SecretException;
import io.sipai.runtime.ssrf.CheckedTarget;
import io.sipai.runtime.ssrf.SsrfGuard;
import io.sipai.runtime.ssrf.SsrfRefusedException;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.Topics;
import io.sipai.webhook.AttemptOutcome;
import io.sipai.webhook.WebhookAttempt;
import io.sipai.webhook.WebhookDelivery;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes delivery attempts off the stream thread: checks the URL with the SSRF guard, signs (opening the sealed
 * secrets for the attempt only; one that does not open fails the attempt, retried), POSTs to the checked
 * address and writes the outcome to webhook.attempts.v1 (key subscriptionId/callId), where the scheduler picks it
 * up. Each job (a run of one call's deliveries to one endpoint) runs on a virtual thread, in order, and stops at
 * the first delivery that fails. At most {@code permitsPerEndpoint} requests per subscription are open at once in
 * this instance (its share of the deployment-wide cap, which changes with the number of instances), so a hanging
 * endpoint ties up only its own requests and N instances together stay within the cap.
 */
public final class DeliveryWorker implements Consumer<DeliveryJob>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final String USER_AGENT = "sipai-webhooks/1";

    private final SsrfGuard guard;
    private final HttpPoster poster;
    private final RetryPolicy retries;
    private final Clock clock;
    private final Producer<String, WebhookAttempt> attempts;
    private final EndpointPermits permits;
    private final SigningKeys keys;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AttemptMeters meters;
    private final AttemptSpans spans;

    /**
     * @param permitsPerEndpoint the requests per subscription this instance may have open, read before each
     *                           request (0 holds every request back)
     * @param keys               opens the subscription's sealed secrets for each attempt's signature
     */
    public DeliveryWorker(SsrfGuard guard, HttpPoster poster, RetryPolicy retries, Clock clock,
                          Producer<String, WebhookAttempt> attempts, IntSupplier permitsPerEndpoint,
                          SigningKeys keys, MeterRegistry meters, CallTracing tracing) {
        this.guard = guard;
        this.poster = poster;
        this.retries = retries;
        this.clock = clock;
        this.attempts = attempts;
        this.permits = new EndpointPermits(permitsPerEndpoint);
        this.keys = keys;
        this.meters = new AttemptMeters(meters);
        this.spans = new AttemptSpans(tracing);
    }

    @Override
    public void accept(DeliveryJob job) {
        executor.execute(() -> CallTracing.withCallId(job.deliveries().getFirst().getCallId(), () -> run(job)));
    }

    /** Sends the run's deliveries in order; the first one not delivered ends the run (order per call). */
    private void run(DeliveryJob job) {
        String endpoint = job.deliveries().getFirst().getSubscriptionId();
        for (int index = 0; index < job.deliveries().size(); index++) {
            Item item = new Item(job, index);
            WebhookAttempt attempt;
            try {
                permits.acquire(endpoint);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long started = spans.start();
            try {
                attempt = attempt(item);
            } catch (RuntimeException e) {
                LOG.error("attempt {} of {} failed unexpectedly", item.number(), item.delivery().getWebhookId(), e);
                attempt = failure(item, clock.instant(), 0, null, null, "internal error: " + e.getMessage());
            } finally {
                permits.release(endpoint);
            }
            meters.observe(attempt);
            spans.attempted(item.delivery(), attempt, started);
            attempts.send(new ProducerRecord<>(Topics.WEBHOOK_ATTEMPTS.name(), job.key(), attempt), (meta, error) -> {
                if (error != null) {
                    // The scheduler re-sends after its in-flight timeout, so nothing is lost.
                    LOG.warn("attempt record for {} not written: {}", item.delivery().getWebhookId(),
                            error.toString());
                }
            });
            if (attempt.getOutcome() != AttemptOutcome.DELIVERED) {
                return;
            }
        }
    }

    /** Item {@code index} of a run. */
    private record Item(DeliveryJob job, int index) {
        WebhookDelivery delivery() {
            return job.deliveries().get(index);
        }

        int number() {
            return job.attemptNumber(index);
        }

        String attemptId() {
            return job.attemptId(index);
        }
    }

    private WebhookAttempt attempt(Item job) {
        Instant now = clock.instant();
        WebhookSubscription subscription = job.job().subscription();
        if (subscription == null || subscription.getDeleted() || !subscription.getEnabled()) {
            return record(job, now, AttemptOutcome.DEAD_LETTERED, null, 0,
                    Attempts.ENDPOINT_UNAVAILABLE, null, null);
        }
        CheckedTarget target;
        try {
            target = guard.resolve(subscription.getUrl());
        } catch (SsrfRefusedException e) {
            return record(job, now, AttemptOutcome.REFUSED, null, 0, "refused: " + e.getMessage(), null, null);
        }
        String body = job.delivery().getPayloadJson();
        String signature;
        try {
            signature = WebhookSigner.signatureHeader(job.delivery().getWebhookId(), now.getEpochSecond(), body,
                    keys.valid(subscription, now), now);
        } catch (SecretException e) {
            // A master key missing here (e.g. mid-rotation) is the operator's to fix: retried, and the customer's
            // attempt log names no key id.
            LOG.warn("signing secret of {} does not open: {}", subscription.getSubscriptionId(), e.getMessage());
            return failure(job, now, 0, null, null, "signing secret unavailable");
        } catch (IllegalArgumentException e) {
            return record(job, now, AttemptOutcome.DEAD_LETTERED, null, 0, e.getMessage(), null, null);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        headers.put("webhook-id", job.delivery().getWebhookId());
        headers.put("webhook-timestamp", Long.toString(now.getEpochSecond()));
        headers.put("webhook-signature", signature);
        long started = System.nanoTime();
        try {
            HttpResult result = poster.post(target, headers, body.getBytes(StandardCharsets.UTF_8));
            long latency = (System.nanoTime() - started) / 1_000_000;
            return classify(job, now, result, latency);
        } catch (IOException e) {
            long latency = (System.nanoTime() - started) / 1_000_000;
            return failure(job, now, latency, null, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private WebhookAttempt classify(Item job, Instant at, HttpResult result, long latency) {
        int status = result.status();
        if (status >= 200 && status < 300) {
            return record(job, at, AttemptOutcome.DELIVERED, status, latency, null, result.bodyPrefix(), null);
        }
        if (status == 410) {
            return record(job, at, AttemptOutcome.ENDPOINT_DISABLED, status, latency,
                    "410 Gone: endpoint disabled", result.bodyPrefix(), null);
        }
        String retryAfter = status == 429 || status == 503 ? result.headers().get("retry-after") : null;
        return failure(job, at, latency, status, result, "HTTP " + status, retryAfter);
    }

    private WebhookAttempt failure(Item job, Instant at, long latency, Integer status, HttpResult result,
                                   String error) {
        return failure(job, at, latency, status, result, error, null);
    }

    private WebhookAttempt failure(Item job, Instant at, long latency, Integer status, HttpResult result,
                                   String error, String retryAfter) {
        Optional<Instant> next = retries.nextAttemptAt(job.number(), clock.instant(), retryAfter);
        String body = result == null ? null : result.bodyPrefix();
        return next.map(when -> record(job, at, AttemptOutcome.RETRYING, status, latency, error, body, when))
                .orElseGet(() -> record(job, at, AttemptOutcome.DEAD_LETTERED, status, latency, error, body, null));
    }

    private static WebhookAttempt record(Item job, Instant at, AttemptOutcome outcome, Integer status,
                                         long latency, String error, String body, Instant next) {
        return WebhookAttempt.newBuilder().setAttemptId(job.attemptId())
                .setWebhookId(job.delivery().getWebhookId()).setSubscriptionId(job.delivery().getSubscriptionId())
                .setTenantId(job.delivery().getTenantId()).setCallId(job.delivery().getCallId())
                .setEventType(job.delivery().getEventType()).setAttempt(job.number()).setAttemptedAt(at)
                .setOutcome(outcome).setStatusCode(status).setLatencyMs(latency).setError(error)
                .setResponseBody(body).setNextAttemptAt(next).build();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        poster.close();
    }
}
