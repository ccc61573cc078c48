package io.sipai.dispatcher.fanout.internal;

import java.util.Optional;

import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.fanout.EventTypes;
import io.sipai.dispatcher.fanout.WebhookPayloads;
import io.sipai.dispatcher.subscriptions.SubscriptionStore;
import io.sipai.events.CallEvent;
import io.sipai.schemas.Topics;
import io.sipai.timeline.TimelineEntry;
import io.sipai.webhook.WebhookDelivery;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The fan-out. Input: call.timeline-entries.v1 (key callId: the events each call's timeline accepted, in timeline
 * order, each carrying the original {@link CallEvent}) and the global store of webhook.subscriptions.v1. Output: one
 * {@link WebhookDelivery} per (enabled subscription of the event's tenant whose types select the event) to
 * webhook.outbox.v1, keyed {@code subscriptionId/callId} so one call's deliveries to one endpoint keep the order of
 * the call's timeline. Reading the timeline rather than the raw call.events.v1 is what keeps webhooks and timeline
 * in agreement: an event the timeline quarantined (a second CallEnded, an out-of-order or late event) never becomes
 * a webhook. The delivery is made from the entry's event, so its webhook-id (the eventId) and body are those of the
 * event. Exactly-once: an entry fans out once per committed transaction. Events with no webhook type are skipped.
 * The subscription scan is linear in the number of subscriptions, which the API keeps small per deployment.
 */
public final class FanOutProcessor implements Processor<String, TimelineEntry, String, WebhookDelivery> {

    private final WebhookPayloads payloads;
    private ProcessorContext<String, WebhookDelivery> context;
    private KeyValueStore<String, WebhookSubscription> subscriptions;

    public FanOutProcessor(WebhookPayloads payloads) {
        this.payloads = payloads;
    }

    @Override
    public void init(ProcessorContext<String, WebhookDelivery> context) {
        this.context = context;
        this.subscriptions = context.getStateStore(SubscriptionStore.NAME);
    }

    @Override
    public void process(Record<String, TimelineEntry> record) {
        TimelineEntry entry = record.value();
        if (entry == null || entry.getEvent() == null) {
            return;
        }
        CallEvent event = entry.getEvent();
        Optional<String> type = EventTypes.of(event);
        if (type.isEmpty()) {
            return;
        }
        String body = null;
        try (KeyValueIterator<String, WebhookSubscription> all = subscriptions.all()) {
            while (all.hasNext()) {
                WebhookSubscription subscription = all.next().value;
                if (!selects(subscription, event, type.get())) {
                    continue;
                }
                if (body == null) {
                    body = payloads.body(event, type.get());
                }
                WebhookDelivery delivery = payloads.delivery(event, type.get(), subscription.getSubscriptionId(),
                        false, body);
                context.forward(new Record<>(Topics.webhookKey(subscription.getSubscriptionId(), event.getCallId()),
                        delivery, record.timestamp()));
            }
        }
    }

    /** Whether {@code subscription} wants {@code event}. */
    private static boolean selects(WebhookSubscription subscription, CallEvent event, String type) {
        return subscription != null && !subscription.getDeleted() && subscription.getEnabled()
                && subscription.getTenantId().equals(event.getTenantId())
                && EventTypes.selects(subscription.getEventTypes(), type);
    }
}
