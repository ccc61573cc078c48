package io.sipai.dispatcher.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.fanout.EventTypes;
import io.sipai.dispatcher.fanout.WebhookPayloads;
import io.sipai.dispatcher.replay.internal.EventScanner;
import io.sipai.schemas.Topics;
import io.sipai.webhook.WebhookDelivery;
import io.sipai.webhook.WebhookReplay;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Executes replay commands. Input: webhook.replay.v1 (key subscriptionId), read by consumer group
 * {@code <applicationId>-replay}. For each command it scans call.events.v1 (one event by id, or the events of a
 * time range by occurredAt) for the subscription's tenant and event types, and writes the deliveries with
 * {@code replay=true} and the original webhook-id (the eventId) to webhook.outbox.v1, where they queue behind the
 * call's other deliveries to that endpoint. At-least-once: the command's offset is committed after its
 * deliveries are acknowledged.
 */
public final class ReplayService implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayService.class);

    private final Consumer<String, WebhookReplay> commands;
    private final EventScanner scanner;
    private final Producer<String, WebhookDelivery> outbox;
    private final WebhookPayloads payloads;
    private final Function<String, Optional<WebhookSubscription>> subscriptions;
    private volatile Thread thread;
    private volatile boolean running;

    public ReplayService(Consumer<String, WebhookReplay> commands, EventScanner scanner,
                         Producer<String, WebhookDelivery> outbox, WebhookPayloads payloads,
                         Function<String, Optional<WebhookSubscription>> subscriptions) {
        this.commands = commands;
        this.scanner = scanner;
        this.outbox = outbox;
        this.payloads = payloads;
        this.subscriptions = subscriptions;
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("webhook-replay").daemon().start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        commands.wakeup();
        Thread current = thread;
        if (current != null) {
            try {
                current.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        try (commands) {
            commands.subscribe(List.of(Topics.WEBHOOK_REPLAY.name()));
            while (running) {
                ConsumerRecords<String, WebhookReplay> batch = commands.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, WebhookReplay> record : batch) {
                    if (record.value() != null) {
                        execute(record.value());
                    }
                }
                if (!batch.isEmpty()) {
                    outbox.flush();
                    commands.commitSync();
                }
            }
        } catch (WakeupException e) {
            // Shutdown.
        } catch (RuntimeException e) {
            LOG.error("replay reader stopped", e);
        } finally {
            outbox.close(Duration.ofSeconds(5));
        }
    }

    /** Re-delivers what {@code command} asks for; returns how many deliveries it queued. */
    public int execute(WebhookReplay command) {
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
                        outbox.send(new ProducerRecord<>(Topics.WEBHOOK_OUTBOX.name(),
                                Topics.webhookKey(subscription.getSubscriptionId(), event.getCallId()), delivery));
                        queued[0]++;
                    });
        });
        LOG.info("replay {}: queued {} deliveries for {}", command.getReplayId(), queued[0],
                command.getSubscriptionId());
        return queued[0];
    }
}
