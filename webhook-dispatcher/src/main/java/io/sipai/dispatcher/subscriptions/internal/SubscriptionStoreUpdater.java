package io.sipai.dispatcher.subscriptions.internal;

import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.subscriptions.SubscriptionStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global store {@link SubscriptionStore} equal to compacted webhook.subscriptions.v1
 * (key subscriptionId). Two writers give the subscription versions: api-gateway (every change through the API) and
 * the dispatcher's endpoint health (a disable, as the next version of what it last saw). So a record replaces the
 * stored one only with a higher version, or with the same version when it stops deliveries (disabled or deleted)
 * and the stored one does not: an edit the gateway made before it learned of a disable carries the disable's
 * version and must not re-enable the endpoint. A tombstone removes the subscription. Kafka Streams runs this on
 * restore too, so the rule also holds for the store rebuilt at startup.
 */
public final class SubscriptionStoreUpdater implements Processor<String, WebhookSubscription, Void, Void> {

    private KeyValueStore<String, WebhookSubscription> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(SubscriptionStore.NAME);
    }

    @Override
    public void process(Record<String, WebhookSubscription> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        WebhookSubscription current = store.get(record.key());
        if (current == null || supersedes(record.value(), current)) {
            store.put(record.key(), record.value());
        }
    }

    /** Whether {@code next} replaces {@code current}: a higher version, or the same one that stops deliveries. */
    static boolean supersedes(WebhookSubscription next, WebhookSubscription current) {
        if (next.getVersion() != current.getVersion()) {
            return next.getVersion() > current.getVersion();
        }
        return stopsDeliveries(next) && !stopsDeliveries(current);
    }

    private static boolean stopsDeliveries(WebhookSubscription subscription) {
        return subscription.getDeleted() || !subscription.getEnabled();
    }
}
