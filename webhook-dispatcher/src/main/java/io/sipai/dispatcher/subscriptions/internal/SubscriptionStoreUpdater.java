package io.sipai.dispatcher.subscriptions.internal;

import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.subscriptions.SubscriptionStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global store {@link SubscriptionStore} equal to compacted webhook.subscriptions.v1
 * (key subscriptionId). A record with an older version than the stored one is ignored, so a stale write cannot
 * re-enable an endpoint the dispatcher disabled; a tombstone removes the subscription.
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
        if (current == null || current.getVersion() <= record.value().getVersion()) {
            store.put(record.key(), record.value());
        }
    }
}
