package io.sipai.schemas;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one table of which service produces, consumes and creates each topic of {@link Topics}, which consumer
 * groups it joins and which Kafka Streams application ids (hence internal topics and transactional ids) it uses,
 * with the services' default ids ({@code WEBHOOK_APPLICATION_ID}, {@code PROCESSORS_APPLICATION_ID_PREFIX}).
 * Least privilege rests on it: the Terraform IAM policies and the Kafka ACL script in {@code infra/} are rendered
 * from it and the infra checks fail when they grant more or less. A service that starts reading or writing a topic
 * must be added here first, or it is refused on a cluster with authorization.
 */
public final class TopicOwnership {

    /** REST API, telephony webhooks and the read-model projector. */
    public static final KafkaAccess API_GATEWAY = new KafkaAccess("api-gateway",
            names(Topics.CALL_TIMELINE, Topics.CALL_TIMELINE_ENTRIES, Topics.WEBHOOK_ATTEMPTS,
                    Topics.WEBHOOK_SUBSCRIPTIONS, Topics.CALL_ADMISSION_DECISIONS, Topics.ADMISSION_COUNTERS),
            names(Topics.CALL_EVENTS, Topics.CALL_ADMISSION, Topics.AGENT_CONFIG, Topics.CAMPAIGN_CONFIG,
                    Topics.TENANT_API_KEYS, Topics.WEBHOOK_SUBSCRIPTIONS, Topics.WEBHOOK_REPLAY,
                    Topics.CALL_QUARANTINE, Topics.SERVICE_HEALTH),
            names(Topics.SERVICE_HEALTH),
            Set.of("api-gateway-projection", "api-gateway-webhook-disables"), Set.of());

    /** Internet-facing media edge: never reads webhook subscriptions or anything else carrying customers' secrets. */
    public static final KafkaAccess REALTIME_EDGE = new KafkaAccess("realtime-edge",
            names(Topics.AGENT_CONFIG, Topics.CALL_ADMISSION_DECISIONS, Topics.TENANT_API_KEYS),
            names(Topics.CALL_EVENTS, Topics.CALL_ADMISSION, Topics.SERVICE_HEALTH),
            names(Topics.CALL_EVENTS, Topics.CALL_ADMISSION, Topics.CALL_ADMISSION_DECISIONS, Topics.AGENT_CONFIG,
                    Topics.TENANT_API_KEYS, Topics.SERVICE_HEALTH),
            Set.of(), Set.of());

    /** Webhook fan-out, scheduling and delivery (Streams app {@code webhook-dispatcher}) and replays. */
    public static final KafkaAccess WEBHOOK_DISPATCHER = new KafkaAccess("webhook-dispatcher",
            names(Topics.CALL_TIMELINE_ENTRIES, Topics.WEBHOOK_SUBSCRIPTIONS, Topics.WEBHOOK_OUTBOX,
                    Topics.WEBHOOK_ATTEMPTS, Topics.WEBHOOK_REPLAY),
            names(Topics.WEBHOOK_OUTBOX, Topics.WEBHOOK_DEAD_LETTER, Topics.WEBHOOK_SUBSCRIPTIONS,
                    Topics.WEBHOOK_ATTEMPTS, Topics.CALL_QUARANTINE, Topics.SERVICE_HEALTH),
            names(Topics.CALL_TIMELINE_ENTRIES, Topics.WEBHOOK_SUBSCRIPTIONS, Topics.WEBHOOK_OUTBOX,
                    Topics.WEBHOOK_ATTEMPTS, Topics.WEBHOOK_DEAD_LETTER, Topics.WEBHOOK_REPLAY,
                    Topics.CALL_QUARANTINE, Topics.SERVICE_HEALTH),
            Set.of("webhook-dispatcher-replay"), Set.of("webhook-dispatcher"));

    /**
     * Admission and timeline Streams apps and the release bridge (a plain consumer group); creates every contract
     * topic at startup.
     */
    public static final KafkaAccess STREAM_PROCESSORS = new KafkaAccess("stream-processors",
            names(Topics.CALL_ADMISSION, Topics.CALL_EVENTS, Topics.CAMPAIGN_CONFIG),
            names(Topics.CALL_ADMISSION_DECISIONS, Topics.CALL_EVENTS, Topics.CALL_ADMISSION, Topics.CALL_QUARANTINE,
                    Topics.CALL_TIMELINE, Topics.CALL_TIMELINE_ENTRIES, Topics.ADMISSION_COUNTERS,
                    Topics.SERVICE_HEALTH),
            names(Topics.ALL),
            Set.of("sipai-admission-releases"), Set.of("sipai-admission", "sipai-timeline"));

    /** The one-off create-topics task (the launcher image): creates and describes, reads and writes nothing. */
    public static final KafkaAccess TOPIC_INIT = new KafkaAccess("topic-init", Set.of(), Set.of(), names(Topics.ALL),
            Set.of(), Set.of());

    /** Every principal, services first. */
    public static final List<KafkaAccess> ALL = List.of(API_GATEWAY, REALTIME_EDGE, WEBHOOK_DISPATCHER,
            STREAM_PROCESSORS, TOPIC_INIT);

    /** Topics whose records carry customers' secrets, and the only principals that may read them. */
    public static final Set<String> SECRET_TOPICS = Set.of(Topics.WEBHOOK_SUBSCRIPTIONS.name());
    public static final Set<String> SECRET_READERS = Set.of(API_GATEWAY.principal(), WEBHOOK_DISPATCHER.principal());

    private TopicOwnership() {
    }

    /** The principal named {@code principal}. */
    public static KafkaAccess of(String principal) {
        return ALL.stream().filter(a -> a.principal().equals(principal)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no principal " + principal));
    }

    /** Principals that produce to {@code topic}. */
    public static Set<String> producers(Topic<?, ?> topic) {
        return ALL.stream().filter(a -> a.writes().contains(topic.name())).map(KafkaAccess::principal)
                .collect(Collectors.toSet());
    }

    /** Principals that consume {@code topic}. */
    public static Set<String> consumers(Topic<?, ?> topic) {
        return ALL.stream().filter(a -> a.reads().contains(topic.name())).map(KafkaAccess::principal)
                .collect(Collectors.toSet());
    }

    private static Set<String> names(Topic<?, ?>... topics) {
        return names(List.of(topics));
    }

    private static Set<String> names(List<Topic<?, ?>> topics) {
        return topics.stream().map(Topic::name).collect(Collectors.toSet());
    }
}
