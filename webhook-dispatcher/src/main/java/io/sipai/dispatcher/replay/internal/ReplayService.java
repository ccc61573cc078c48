package io.sipai.dispatcher.replay.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.fanout.EventTypes;
import io.sipai.dispatcher.fanout.WebhookPayloads;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.runtime.kafka.ConsumerLoop;
import io.sipai.runtime.kafka.UnprocessableRecordException;
import io.sipai.schemas.Topics;
import io.sipai.webhook.WebhookDelivery;
import io.sipai.webhook.WebhookReplay;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes replay commands, as the handler of a grouped {@link ConsumerLoop}. Input: webhook.replay.v1 (key
 * subscriptionId), read by consumer group {@code <applicationId>-replay}. For each command it scans the events of
 * call.timeline-entries.v1, the topic the fan-out reads, so a replay sends only what the timeline accepted (one
 * event by id, or the events of a time range by occurredAt) for the subscription's tenant and event types,
 * and writes the deliveries with {@code replay=true} and the original webhook-id (the eventId) to
 * webhook.outbox.v1 (key subscriptionId/callId), where they queue behind the call's other deliveries to that
 * endpoint. At-least-once: a batch's offsets are committed by the loop only after every delivery it queued is
 * acknowledged (a failed write fails the batch, which the loop retries; receivers dedupe on webhook-id); a command
 * that does not decode is quarantined by the loop.
 */
public final class ReplayService implements ConsumerLoop.Handler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayService.class);

    private final EventScanner scanner;
    private final Producer<String, WebhookDelivery> outbox;
    private final WebhookPayloads payloads;
    private final Function<String, Optional<WebhookSubscription>> subscriptions;
    /** Writes of the batch being handled; only the loop's consumer thread touches it. */
    private final List<Future<RecordMetadata>> unacknowledged = new ArrayList<>();

    public ReplayService(EventScanner scanner, Producer<String, WebhookDelivery> outbox, WebhookPayloads payloads,
                         Function<String, Optional<WebhookSubscription>> subscriptions) {
        this.scanner = scanner;
        this.outbox = outbox;
        this.payloads = payloads;
        this.subscriptions = subscriptions;
    }

    @Override
    public void handle(List<ConsumerRecord<byte[], byte[]>> records) {
        for (int index = 0; index < records.size(); index++) {
            ConsumerRecord<byte[], byte[]> record = records.get(index);
            if (record.value() == null) {
                continue;
            }
            WebhookReplay command;
            try {
                command = Topics.WEBHOOK_REPLAY.valueSerde().deserializer().deserialize(record.topic(),
                        record.value());
            } catch (RuntimeException e) {
                // The commands before this one are done: their deliveries must be acknowledged before their
                // offsets are committed.
                awaitAcknowledged();
                throw new UnprocessableRecordException(index, QuarantineReason.UNDECODABLE,
                        "replay command does not decode: " + e.getMessage(), e);
            }
            execute(command);
        }
        awaitAcknowledged();
    }

    private void awaitAcknowledged() {
        outbox.flush();
        try {
            for (Future<RecordMetadata> write : unacknowledged) {
                write.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("replayed deliveries were not written to the outbox", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing replayed deliveries", e);
        } finally {
            unacknowledged.clear();
        }
    }

    /** Re-delivers what {@code command} asks for; returns how many deliveries it queued. */
    int execute(WebhookReplay command) {
        Optional<WebhookSubscription> found = subscriptions.apply(command.getSubscriptionId());
        if (found.isEmpty() || found.get().getDeleted()
                || !found.get().getTenantId().equals(command.getTenantId())) {
            LOG.warn("replay {}: subscription {} unknown, deleted or of another tenant", command.getReplayId(),
                    command.getSubscriptionId());
            return 0;
        }
        WebhookSubscription subscription = found.get();
        Instant from = command.getFrom();
        Instant to = command.getTo();
        int[] queued = {0};
        scanner.scan(command.getEventId() == null ? from : null, event -> {
            boolean wanted = command.getEventId() != null ? command.getEventId().equals(event.getEventId())
                    : (from == null || !event.getOccurredAt().isBefore(from))
                    && (to == null || event.getOccurredAt().isBefore(to));
            if (!wanted || !event.getTenantId().equals(subscription.getTenantId())) {
                return;
            }
            EventTypes.of(event).filter(type -> EventTypes.selects(subscription.getEventTypes(), type))
                    .ifPresent(type -> {
                        WebhookDelivery delivery = payloads.delivery(event, type, subscription.getSubscriptionId(),
                                true);
                        unacknowledged.add(outbox.send(new ProducerRecord<>(Topics.WEBHOOK_OUTBOX.name(),
                                Topics.webhookKey(subscription.getSubscriptionId(), event.getCallId()), delivery)));
                        queued[0]++;
                    });
        });
        LOG.info("replay {}: queued {} deliveries for {}", command.getReplayId(), queued[0],
                command.getSubscriptionId());
        return queued[0];
    }

    @Override
    public void close() {
        outbox.close(Duration.ofSeconds(5));
    }
}
