package io.sipai.schemas;

import java.util.List;
import java.util.Map;

import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionCounter;
import io.sipai.admission.AdmissionDecision;
import io.sipai.config.AgentConfig;
import io.sipai.config.ApiKeyGrant;
import io.sipai.config.CampaignConfig;
import io.sipai.config.WebhookSubscription;
import io.sipai.events.CallEvent;
import io.sipai.health.ServiceProbe;
import io.sipai.quarantine.QuarantinedRecord;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import io.sipai.webhook.WebhookAttempt;
import io.sipai.webhook.WebhookDelivery;
import io.sipai.webhook.WebhookReplay;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one registry of sipai's topics. Every producer, consumer, stream processor and the topic-creation step take
 * names and serdes from here, so a topic name is never typed twice. See {@code docs/events.md}.
 */
public final class Topics {

    /** Partitions of the call-keyed topics; fixed once created, since keys are hashed over them. */
    public static final int CALL_PARTITIONS = 12;
    /** Partitions of the compacted configuration topics. */
    public static final int CONFIG_PARTITIONS = 3;
    /** Key of every record on {@link #CALL_ADMISSION}: one key, one partition, one total order. */
    public static final String ADMISSION_KEY = "admission";

    private static final Serde<String> STRING = Serdes.String();
    private static final String WEEK_MS = String.valueOf(7L * 24 * 3600 * 1000);
    private static final String MONTH_MS = String.valueOf(30L * 24 * 3600 * 1000);

    /** Every fact about every call. Key: callId. */
    public static final Topic<String, CallEvent> CALL_EVENTS = new Topic<>("call.events.v1", STRING,
            EventSerdes.avro(CallEvent.class), CALL_PARTITIONS, CleanupPolicy.DELETE, Map.of("retention.ms", MONTH_MS));

    /** Events and commands a processor could not apply, with their original bytes. Key: original key as text. */
    public static final Topic<String, QuarantinedRecord> CALL_QUARANTINE = new Topic<>("call.quarantine.v1", STRING,
            EventSerdes.avro(QuarantinedRecord.class), 3, CleanupPolicy.DELETE, Map.of("retention.ms", MONTH_MS));

    /** Admission commands: AcquireSlot, Heartbeat, ReleaseSlot. Key: {@link #ADMISSION_KEY}; one partition. */
    public static final Topic<String, AdmissionCommand> CALL_ADMISSION = new Topic<>("call.admission.v1", STRING,
            EventSerdes.avro(AdmissionCommand.class), 1, CleanupPolicy.DELETE, Map.of("retention.ms", WEEK_MS));

    /** Admission decisions: Granted or Rejected. Key: callId. */
    public static final Topic<String, AdmissionDecision> CALL_ADMISSION_DECISIONS = new Topic<>(
            "call.admission-decisions.v1", STRING, EventSerdes.avro(AdmissionDecision.class), CALL_PARTITIONS,
            CleanupPolicy.DELETE, Map.of("retention.ms", WEEK_MS));

    /**
     * The slots each admission limit holds, written with every change. Key: {@code global}, {@code tenant:<id>} or
     * {@code campaign:<id>}; compacted; one partition (one writer, the admission task).
     */
    public static final Topic<String, AdmissionCounter> ADMISSION_COUNTERS = new Topic<>("admission.counters.v1",
            STRING, EventSerdes.avro(AdmissionCounter.class), 1, CleanupPolicy.COMPACT, Map.of());

    /** Latest summary of every call. Key: callId; compacted. */
    public static final Topic<String, CallTimeline> CALL_TIMELINE = new Topic<>("call.timeline.v1", STRING,
            EventSerdes.avro(CallTimeline.class), CALL_PARTITIONS, CleanupPolicy.COMPACT, Map.of());

    /** Numbered timeline entries, contiguous per call. Key: callId. */
    public static final Topic<String, TimelineEntry> CALL_TIMELINE_ENTRIES = new Topic<>("call.timeline-entries.v1",
            STRING, EventSerdes.avro(TimelineEntry.class), CALL_PARTITIONS, CleanupPolicy.DELETE,
            Map.of("retention.ms", MONTH_MS));

    /** Agent configuration. Key: agentId; compacted. */
    public static final Topic<String, AgentConfig> AGENT_CONFIG = new Topic<>("agent.config.v1", STRING,
            EventSerdes.avro(AgentConfig.class), CONFIG_PARTITIONS, CleanupPolicy.COMPACT, Map.of());

    /** Campaign configuration. Key: campaignId; compacted. */
    public static final Topic<String, CampaignConfig> CAMPAIGN_CONFIG = new Topic<>("campaign.config.v1", STRING,
            EventSerdes.avro(CampaignConfig.class), CONFIG_PARTITIONS, CleanupPolicy.COMPACT, Map.of());

    /**
     * The API keys that may be used, for services that authenticate keys without the database (realtime-edge).
     * Key: the lowercase hex SHA-256 of the key; compacted; a revoked key is a tombstone.
     */
    public static final Topic<String, ApiKeyGrant> TENANT_API_KEYS = new Topic<>("tenant.api-keys.v1", STRING,
            EventSerdes.avro(ApiKeyGrant.class), CONFIG_PARTITIONS, CleanupPolicy.COMPACT, Map.of());

    /** Webhook subscriptions with their signing secrets. Key: subscriptionId; compacted. */
    public static final Topic<String, WebhookSubscription> WEBHOOK_SUBSCRIPTIONS = new Topic<>(
            "webhook.subscriptions.v1", STRING, EventSerdes.avro(WebhookSubscription.class), CONFIG_PARTITIONS,
            CleanupPolicy.COMPACT, Map.of());

    /** One record per (subscription, event) to deliver. Key: subscriptionId/callId. */
    public static final Topic<String, WebhookDelivery> WEBHOOK_OUTBOX = new Topic<>("webhook.outbox.v1", STRING,
            EventSerdes.avro(WebhookDelivery.class), CALL_PARTITIONS, CleanupPolicy.DELETE,
            Map.of("retention.ms", WEEK_MS));

    /** Every delivery attempt. Key: subscriptionId/callId. */
    public static final Topic<String, WebhookAttempt> WEBHOOK_ATTEMPTS = new Topic<>("webhook.attempts.v1", STRING,
            EventSerdes.avro(WebhookAttempt.class), CALL_PARTITIONS, CleanupPolicy.DELETE,
            Map.of("retention.ms", MONTH_MS));

    /** Deliveries whose retries are exhausted; replayable. Key: subscriptionId/callId. */
    public static final Topic<String, WebhookDelivery> WEBHOOK_DEAD_LETTER = new Topic<>("webhook.dead-letter.v1",
            STRING, EventSerdes.avro(WebhookDelivery.class), CALL_PARTITIONS, CleanupPolicy.DELETE,
            Map.of("retention.ms", MONTH_MS));

    /** Replay commands from the API. Key: subscriptionId. */
    public static final Topic<String, WebhookReplay> WEBHOOK_REPLAY = new Topic<>("webhook.replay.v1", STRING,
            EventSerdes.avro(WebhookReplay.class), CONFIG_PARTITIONS, CleanupPolicy.DELETE,
            Map.of("retention.ms", WEEK_MS));

    /** Every topic of the contract, in creation order. */
    /** Readiness probes: every service instance writes one every few seconds (acks=all). Key: service/instance. */
    public static final Topic<String, ServiceProbe> SERVICE_HEALTH = new Topic<>("sipai.health.v1", STRING,
            EventSerdes.avro(ServiceProbe.class), CONFIG_PARTITIONS, CleanupPolicy.DELETE,
            Map.of("retention.ms", String.valueOf(3600L * 1000)));

    public static final List<Topic<?, ?>> ALL = List.of(CALL_EVENTS, CALL_QUARANTINE, CALL_ADMISSION,
            CALL_ADMISSION_DECISIONS, ADMISSION_COUNTERS, CALL_TIMELINE, CALL_TIMELINE_ENTRIES, AGENT_CONFIG,
            CAMPAIGN_CONFIG, TENANT_API_KEYS, WEBHOOK_SUBSCRIPTIONS, WEBHOOK_OUTBOX, WEBHOOK_ATTEMPTS,
            WEBHOOK_DEAD_LETTER, WEBHOOK_REPLAY, SERVICE_HEALTH);

    private Topics() {
    }

    /** Subscription/call key of the webhook topics. */
    public static String webhookKey(String subscriptionId, String callId) {
        return subscriptionId + "/" + callId;
    }
}
