package io.sipai.dispatcher;

/**
 * Names the dispatcher gives to things outside the topic registry: its Kafka Streams stores (whose changelog
 * topics, {@code <applicationId>-<store>-changelog}, Kafka Streams creates) and its consumer groups.
 */
public final class DispatcherNames {

    /** Global store of webhook.subscriptions.v1 (key subscriptionId). */
    public static final String SUBSCRIPTIONS_STORE = "webhook-subscriptions";
    /** Per subscription/call: the deliveries waiting, the head's retry timer and in-flight attempt. */
    public static final String QUEUE_STORE = "webhook-delivery-queues";
    /** Timers as data: {@code <dueAtMillis zero-padded>|<subscription/call>} so a range scan finds what is due. */
    public static final String DUE_STORE = "webhook-delivery-due";
    /** Per subscription: since when every attempt has failed (for the 5-day disable rule). */
    public static final String HEALTH_STORE = "webhook-endpoint-health";
    /** Repartition of webhook.attempts.v1 by subscriptionId (topic {@code <applicationId>-<this>-repartition}). */
    public static final String ATTEMPTS_BY_SUBSCRIPTION = "webhook-attempts-by-subscription";
    /** Consumer group of the replay command reader. */
    public static final String REPLAY_GROUP_SUFFIX = "-replay";

    private DispatcherNames() {
    }
}
