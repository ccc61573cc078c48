package io.sipai.dispatcher.scheduling.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;

import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.delivery.DeliveryJob;
import io.sipai.dispatcher.subscriptions.SubscriptionStore;
import io.sipai.webhook.WebhookAttempt;
import io.sipai.webhook.WebhookDelivery;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The delivery scheduler. Input: webhook.outbox.v1 and webhook.attempts.v1, both keyed subscriptionId/callId and
 * co-partitioned, so one task owns every delivery of one call to one endpoint. It keeps a FIFO per key (store
 * {@value #QUEUE_STORE}) and hands the head, with the deliveries already queued behind it, to the
 * worker as one run that the worker sends in order and stops at the first failure; a later delivery of the same
 * key is never sent before the ones ahead of it are delivered or dead-lettered, other keys are never held back.
 * Each result extends the run's lost-result deadline. Retry timers are data in
 * {@value #DUE_STORE} (both stores have changelogs), found by a wall-clock punctuation that does at
 * most {@code maxPerTick} keys per run. Output: exhausted deliveries, to webhook.dead-letter.v1 (key unchanged).
 * Guarantees: exactly-once state and dead letters; the HTTP side effect is at-least-once (an attempt whose result
 * never arrives is re-sent after the in-flight timeout; receivers dedupe on webhook-id).
 */
public final class DispatchProcessor implements Processor<String, DispatchInput, String, WebhookDelivery> {

    /** Per subscription/call: the deliveries waiting, the head's retry timer and in-flight attempt. */
    public static final String QUEUE_STORE = "webhook-delivery-queues";
    /** Timers as data: {@code <dueAtMillis zero-padded>|<subscription/call>} so a range scan finds what is due. */
    public static final String DUE_STORE = "webhook-delivery-due";
    /** Most deliveries of one key handed to the worker at once. */
    static final int MAX_RUN = 16;

    private final Consumer<DeliveryJob> worker;
    private final Clock clock;
    private final Duration tick;
    private final Duration inFlightTimeout;
    private final int maxPerTick;
    private ProcessorContext<String, WebhookDelivery> context;
    private KeyValueStore<String, DeliveryQueue> queues;
    private KeyValueStore<String, String> due;
    private KeyValueStore<String, WebhookSubscription> subscriptions;

    /**
     * @param worker          receives the attempts to make
     * @param clock           decides what is due (injectable so tests move time)
     * @param tick            how often due timers are looked for
     * @param inFlightTimeout after this, an attempt without a result is sent again
     * @param maxPerTick      bound on the timers handled by one punctuation
     */
    public DispatchProcessor(Consumer<DeliveryJob> worker, Clock clock, Duration tick, Duration inFlightTimeout,
                             int maxPerTick) {
        this.worker = worker;
        this.clock = clock;
        this.tick = tick;
        this.inFlightTimeout = inFlightTimeout;
        this.maxPerTick = maxPerTick;
    }

    @Override
    public void init(ProcessorContext<String, WebhookDelivery> context) {
        this.context = context;
        this.queues = context.getStateStore(QUEUE_STORE);
        this.due = context.getStateStore(DUE_STORE);
        this.subscriptions = context.getStateStore(SubscriptionStore.NAME);
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, ignored -> fireDue());
    }

    @Override
    public void process(Record<String, DispatchInput> record) {
        switch (record.value()) {
            case DispatchInput.NewDelivery delivery -> enqueue(record.key(), delivery.delivery());
            case DispatchInput.AttemptResult result -> applyResult(record.key(), result.attempt());
            case null -> { }
        }
    }

    private void enqueue(String key, WebhookDelivery delivery) {
        DeliveryQueue queue = queues.get(key);
        if (queue == null) {
            queue = new DeliveryQueue();
        }
        queue.add(delivery);
        if (queue.size() == 1) {
            dispatchHead(key, queue);
        }
        queues.put(key, queue);
    }

    private void applyResult(String key, WebhookAttempt attempt) {
        DeliveryQueue queue = queues.get(key);
        if (queue == null || !attempt.getAttemptId().equals(queue.expectedAttemptId())) {
            return;
        }
        long now = clock.millis();
        // The result is in: the lost-result timer of this attempt is no longer needed.
        due.delete(dueKey(queue.inFlightDeadline(), key));
        switch (attempt.getOutcome()) {
            case DELIVERED -> {
                long nextDeadline = now + inFlightTimeout.toMillis();
                if (queue.delivered(now, nextDeadline)) {
                    index(nextDeadline, key);
                }
            }
            case RETRYING -> {
                long at = attempt.getNextAttemptAt() == null ? now : attempt.getNextAttemptAt().toEpochMilli();
                queue.waitUntil(at, attempt.getAttempt(), attempt.getError());
                index(at, key);
            }
            default -> {
                WebhookDelivery dead = queue.pop(now);
                dead.setAttempts(attempt.getAttempt());
                dead.setLastError(attempt.getError() != null ? attempt.getError()
                        : attempt.getOutcome().name().toLowerCase(Locale.ROOT));
                context.forward(new Record<>(key, dead, context.currentSystemTimeMs()));
            }
        }
        if (queue.isEmpty()) {
            queues.delete(key);
            return;
        }
        if (queue.inFlightId() == null && queue.dueAt() <= now) {
            dispatchHead(key, queue);
        }
        queues.put(key, queue);
    }

    /** Hands the head and the deliveries queued behind it (up to {@link #MAX_RUN}) to the worker as one run. */
    private void dispatchHead(String key, DeliveryQueue queue) {
        List<WebhookDelivery> run = queue.firstItems(MAX_RUN);
        String runId = UUID.randomUUID().toString();
        long deadline = clock.millis() + inFlightTimeout.toMillis();
        queue.inFlight(runId, run.size(), deadline);
        index(deadline, key);
        worker.accept(new DeliveryJob(key, run, runId, subscriptions.get(run.getFirst().getSubscriptionId())));
    }

    private void fireDue() {
        long now = clock.millis();
        List<KeyValue<String, String>> fired = new ArrayList<>();
        try (KeyValueIterator<String, String> timers = due.range(dueKey(0, ""), dueKey(now, "\uffff"))) {
            while (timers.hasNext() && fired.size() < maxPerTick) {
                fired.add(timers.next());
            }
        }
        for (KeyValue<String, String> timer : fired) {
            due.delete(timer.key);
            DeliveryQueue queue = queues.get(timer.value);
            if (queue == null || queue.isEmpty()) {
                continue;
            }
            boolean lost = queue.inFlightId() != null && queue.inFlightDeadline() <= now;
            boolean retryDue = queue.inFlightId() == null && queue.dueAt() <= now;
            if (lost || retryDue) {
                dispatchHead(timer.value, queue);
                queues.put(timer.value, queue);
            }
        }
    }

    private void index(long at, String key) {
        due.put(dueKey(at, key), key);
    }

    static String dueKey(long at, String key) {
        return String.format(Locale.ROOT, "%013d|%s", at, key);
    }
}
