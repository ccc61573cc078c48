package io.sipai.dispatcher.subscriptions;

import io.sipai.config.WebhookSubscription;
import io.sipai.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The dispatcher's view of the webhook subscriptions: a global Kafka Streams store (key subscriptionId) kept equal
 * to compacted {@code webhook.subscriptions.v1}, read by the fan-out (who gets an event), the scheduler (the
 * endpoint a delivery goes to) and endpoint health (the subscription it disables). In memory and without a
 * changelog: the topic itself is the store's log.
 */
public final class SubscriptionStore {

    /** Name of the global store. */
    public static final String NAME = "webhook-subscriptions";

    private SubscriptionStore() {
    }

    /** The store, to be registered as a global store fed by {@code webhook.subscriptions.v1}. */
    public static StoreBuilder<KeyValueStore<String, WebhookSubscription>> builder() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(NAME), Serdes.String(),
                Topics.WEBHOOK_SUBSCRIPTIONS.valueSerde()).withLoggingDisabled();
    }
}
