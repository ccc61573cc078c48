package io.sipai.dispatcher;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.delivery.DeliveryJob;
import io.sipai.dispatcher.delivery.internal.DeliveryQueue;
import io.sipai.dispatcher.delivery.internal.DispatchInput;
import io.sipai.dispatcher.delivery.internal.DispatchProcessor;
import io.sipai.dispatcher.delivery.internal.EndpointHealthProcessor;
import io.sipai.dispatcher.delivery.internal.HealthAction;
import io.sipai.dispatcher.delivery.internal.HealthSampler;
import io.sipai.dispatcher.fanout.WebhookPayloads;
import io.sipai.dispatcher.fanout.internal.FanOutProcessor;
import io.sipai.dispatcher.fanout.internal.SubscriptionStoreUpdater;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import io.sipai.webhook.WebhookAttempt;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The dispatcher's Kafka Streams topology, in three parts sharing the global subscriptions store:
 * <ol>
 * <li>fan-out: call.events.v1 -> {@link FanOutProcessor} -> webhook.outbox.v1;</li>
 * <li>scheduling: webhook.outbox.v1 + webhook.attempts.v1 -> {@link DispatchProcessor} (hands attempts to the
 * worker) -> webhook.dead-letter.v1;</li>
 * <li>endpoint health: webhook.attempts.v1 (failures, and successes sampled by {@link HealthSampler}) by
 * subscription -> {@link EndpointHealthProcessor} ->
 * webhook.subscriptions.v1 (disabled endpoints) and webhook.attempts.v1 (ENDPOINT_DISABLED notices).</li>
 * </ol>
 * The scheduler and health stores are cached, so the several updates one key gets within a commit interval reach
 * RocksDB and the changelog once.
 */
public final class DispatcherTopology {

    private DispatcherTopology() {
    }

    /**
     * @param payloads    renders webhook bodies
     * @param worker      makes the attempts
     * @param clock       the dispatcher's clock
     * @param tick        how often retry timers are checked
     * @param inFlightTimeout when an attempt without a result is sent again
     */
    public static Topology build(WebhookPayloads payloads, Consumer<DeliveryJob> worker, Clock clock, Duration tick,
                                 Duration inFlightTimeout) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(
                                DispatcherNames.SUBSCRIPTIONS_STORE), Serdes.String(),
                        Topics.WEBHOOK_SUBSCRIPTIONS.valueSerde()).withLoggingDisabled(),
                Topics.WEBHOOK_SUBSCRIPTIONS.name(), consumed(Topics.WEBHOOK_SUBSCRIPTIONS),
                SubscriptionStoreUpdater::new);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(
                DispatcherNames.QUEUE_STORE), Serdes.String(), DeliveryQueue.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(
                DispatcherNames.DUE_STORE), Serdes.String(), Serdes.String()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(
                DispatcherNames.HEALTH_STORE), Serdes.String(), Serdes.Long()).withCachingEnabled());

        builder.stream(Topics.CALL_EVENTS.name(), consumed(Topics.CALL_EVENTS))
                .process(() -> new FanOutProcessor(payloads), Named.as("webhook-fan-out"))
                .to(Topics.WEBHOOK_OUTBOX.name(), produced(Topics.WEBHOOK_OUTBOX));

        KStream<String, DispatchInput> deliveries = builder.stream(Topics.WEBHOOK_OUTBOX.name(),
                        consumed(Topics.WEBHOOK_OUTBOX))
                .mapValues(delivery -> (DispatchInput) new DispatchInput.NewDelivery(delivery));
        KStream<String, WebhookAttempt> attempts = builder.stream(Topics.WEBHOOK_ATTEMPTS.name(),
                consumed(Topics.WEBHOOK_ATTEMPTS));
        deliveries.merge(attempts.mapValues(attempt -> (DispatchInput) new DispatchInput.AttemptResult(attempt)))
                .process(() -> new DispatchProcessor(worker, clock, tick, inFlightTimeout, 1_000),
                        Named.as("webhook-scheduler"), DispatcherNames.QUEUE_STORE, DispatcherNames.DUE_STORE)
                .to(Topics.WEBHOOK_DEAD_LETTER.name(), produced(Topics.WEBHOOK_DEAD_LETTER));

        HealthSampler sampler = new HealthSampler(clock);
        KStream<String, HealthAction> actions = attempts
                .filter((key, attempt) -> sampler.pass(attempt))
                .selectKey((key, attempt) -> attempt.getSubscriptionId())
                .repartition(Repartitioned.<String, WebhookAttempt>as(DispatcherNames.ATTEMPTS_BY_SUBSCRIPTION)
                        .withKeySerde(Serdes.String()).withValueSerde(Topics.WEBHOOK_ATTEMPTS.valueSerde()))
                .process(() -> new EndpointHealthProcessor(clock), Named.as("webhook-endpoint-health"),
                        DispatcherNames.HEALTH_STORE);
        actions.flatMap((key, action) -> action instanceof HealthAction.Disable disable
                        ? java.util.List.of(KeyValue.pair(key, disable.subscription()))
                        : java.util.List.<KeyValue<String, WebhookSubscription>>of())
                .to(Topics.WEBHOOK_SUBSCRIPTIONS.name(), produced(Topics.WEBHOOK_SUBSCRIPTIONS));
        actions.flatMap((key, action) -> action instanceof HealthAction.Notice notice
                        ? java.util.List.of(KeyValue.pair(notice.key(), notice.attempt()))
                        : java.util.List.<KeyValue<String, WebhookAttempt>>of())
                .to(Topics.WEBHOOK_ATTEMPTS.name(), produced(Topics.WEBHOOK_ATTEMPTS));
        return builder.build();
    }

    private static <K, V> Consumed<K, V> consumed(Topic<K, V> topic) {
        return Consumed.with(topic.keySerde(), topic.valueSerde());
    }

    private static <K, V> Produced<K, V> produced(Topic<K, V> topic) {
        return Produced.with(topic.keySerde(), topic.valueSerde());
    }
}
