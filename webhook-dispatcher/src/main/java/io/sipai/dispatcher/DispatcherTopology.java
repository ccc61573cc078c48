package io.sipai.dispatcher;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.delivery.DeliveryJob;
import io.sipai.dispatcher.fanout.WebhookPayloads;
import io.sipai.dispatcher.fanout.internal.FanOutProcessor;
import io.sipai.dispatcher.health.internal.EndpointHealthProcessor;
import io.sipai.dispatcher.health.internal.HealthAction;
import io.sipai.dispatcher.health.internal.HealthSampler;
import io.sipai.dispatcher.scheduling.internal.DeliveryQueue;
import io.sipai.dispatcher.scheduling.internal.DispatchInput;
import io.sipai.dispatcher.scheduling.internal.DispatchProcessor;
import io.sipai.dispatcher.subscriptions.SubscriptionStore;
import io.sipai.dispatcher.subscriptions.internal.SubscriptionStoreUpdater;
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
 * The dispatcher's Kafka Streams topology, in three parts sharing the global {@link SubscriptionStore}:
 * <ol>
 * <li>fan-out: call.timeline-entries.v1 (key callId: only the events the call's timeline accepted) ->
 * {@link FanOutProcessor} -> webhook.outbox.v1 (key subscriptionId/callId);</li>
 * <li>scheduling: webhook.outbox.v1 + webhook.attempts.v1 (both key subscriptionId/callId, co-partitioned) ->
 * {@link DispatchProcessor} (hands runs to the worker) -> webhook.dead-letter.v1 (key unchanged);</li>
 * <li>endpoint health: webhook.attempts.v1 (failures, and successes sampled by {@link HealthSampler}) re-keyed by
 * subscriptionId -> {@link EndpointHealthProcessor} -> webhook.subscriptions.v1 (disabled endpoints, key
 * subscriptionId) and webhook.attempts.v1 (ENDPOINT_DISABLED notices).</li>
 * </ol>
 * Run exactly-once v2 ({@link DispatcherStreams}): stores, outputs and input offsets commit together; input that
 * does not decode is quarantined to call.quarantine.v1. The scheduler and health stores are cached, so the several
 * updates one key gets within a commit interval reach RocksDB and the changelog once.
 */
public final class DispatcherTopology {

    /** Repartition of webhook.attempts.v1 by subscriptionId (topic {@code <applicationId>-<this>-repartition}). */
    static final String ATTEMPTS_BY_SUBSCRIPTION = "webhook-attempts-by-subscription";
    /** Processor node names (they name the nodes' metrics and appear in the topology description). */
    static final String FAN_OUT = "webhook-fan-out";
    static final String SCHEDULER = "webhook-scheduler";
    static final String ENDPOINT_HEALTH = "webhook-endpoint-health";

    private DispatcherTopology() {
    }

    /**
     * @param payloads        renders webhook bodies
     * @param worker          makes the attempts
     * @param clock           the dispatcher's clock
     * @param tick            how often retry timers are checked
     * @param inFlightTimeout when an attempt without a result is sent again
     */
    public static Topology build(WebhookPayloads payloads, Consumer<DeliveryJob> worker, Clock clock, Duration tick,
                                 Duration inFlightTimeout) {
        StreamsBuilder builder = new StreamsBuilder();
        addStores(builder);
        builder.stream(Topics.CALL_TIMELINE_ENTRIES.name(), consumed(Topics.CALL_TIMELINE_ENTRIES))
                .process(() -> new FanOutProcessor(payloads), Named.as(FAN_OUT))
                .to(Topics.WEBHOOK_OUTBOX.name(), produced(Topics.WEBHOOK_OUTBOX));
        KStream<String, WebhookAttempt> attempts = builder.stream(Topics.WEBHOOK_ATTEMPTS.name(),
                consumed(Topics.WEBHOOK_ATTEMPTS));
        addScheduler(builder, attempts, worker, clock, tick, inFlightTimeout);
        addEndpointHealth(attempts, clock);
        return builder.build();
    }

    private static void addStores(StreamsBuilder builder) {
        builder.addGlobalStore(SubscriptionStore.builder(), Topics.WEBHOOK_SUBSCRIPTIONS.name(),
                consumed(Topics.WEBHOOK_SUBSCRIPTIONS), SubscriptionStoreUpdater::new);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(
                DispatchProcessor.QUEUE_STORE), Serdes.String(), DeliveryQueue.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(
                DispatchProcessor.DUE_STORE), Serdes.String(), Serdes.String()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(
                EndpointHealthProcessor.HEALTH_STORE), Serdes.String(), Serdes.Long()).withCachingEnabled());
    }

    private static void addScheduler(StreamsBuilder builder, KStream<String, WebhookAttempt> attempts,
                                     Consumer<DeliveryJob> worker, Clock clock, Duration tick,
                                     Duration inFlightTimeout) {
        KStream<String, DispatchInput> deliveries = builder.stream(Topics.WEBHOOK_OUTBOX.name(),
                        consumed(Topics.WEBHOOK_OUTBOX))
                .mapValues(delivery -> (DispatchInput) new DispatchInput.NewDelivery(delivery));
        deliveries.merge(attempts.mapValues(attempt -> (DispatchInput) new DispatchInput.AttemptResult(attempt)))
                .process(() -> new DispatchProcessor(worker, clock, tick, inFlightTimeout, 1_000),
                        Named.as(SCHEDULER), DispatchProcessor.QUEUE_STORE, DispatchProcessor.DUE_STORE)
                .to(Topics.WEBHOOK_DEAD_LETTER.name(), produced(Topics.WEBHOOK_DEAD_LETTER));
    }

    private static void addEndpointHealth(KStream<String, WebhookAttempt> attempts, Clock clock) {
        HealthSampler sampler = new HealthSampler(clock);
        KStream<String, HealthAction> actions = attempts
                .filter((key, attempt) -> sampler.pass(attempt))
                .selectKey((key, attempt) -> attempt.getSubscriptionId())
                .repartition(Repartitioned.<String, WebhookAttempt>as(ATTEMPTS_BY_SUBSCRIPTION)
                        .withKeySerde(Serdes.String()).withValueSerde(Topics.WEBHOOK_ATTEMPTS.valueSerde()))
                .process(() -> new EndpointHealthProcessor(clock), Named.as(ENDPOINT_HEALTH),
                        EndpointHealthProcessor.HEALTH_STORE);
        actions.flatMap((key, action) -> action instanceof HealthAction.Disable disable
                        ? List.of(KeyValue.pair(key, disable.subscription()))
                        : List.<KeyValue<String, WebhookSubscription>>of())
                .to(Topics.WEBHOOK_SUBSCRIPTIONS.name(), produced(Topics.WEBHOOK_SUBSCRIPTIONS));
        actions.flatMap((key, action) -> action instanceof HealthAction.Notice notice
                        ? List.of(KeyValue.pair(notice.key(), notice.attempt()))
                        : List.<KeyValue<String, WebhookAttempt>>of())
                .to(Topics.WEBHOOK_ATTEMPTS.name(), produced(Topics.WEBHOOK_ATTEMPTS));
    }

    private static <K, V> Consumed<K, V> consumed(Topic<K, V> topic) {
        return Consumed.with(topic.keySerde(), topic.valueSerde());
    }

    private static <K, V> Produced<K, V> produced(Topic<K, V> topic) {
        return Produced.with(topic.keySerde(), topic.valueSerde());
    }
}
