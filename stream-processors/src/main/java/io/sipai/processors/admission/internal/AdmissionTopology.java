package io.sipai.processors.admission.internal;

import io.sipai.processors.admission.AdmissionSettings;
import io.sipai.runtime.kafka.Quarantine;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The admission application: exact call-concurrency limits.
 *
 * <ul>
 *   <li>One task: {@code call.admission.v1} (key {@link Topics#ADMISSION_KEY}) -> admission
 *       processor with stores {@value #SLOTS_STORE}, {@value #COUNTERS_STORE}, {@value #EXPIRY_STORE},
 *       {@value #CLAIMS_STORE}, {@value #CLAIM_EXPIRY_STORE} -> {@code call.admission-decisions.v1} (key callId;
 *       slot decisions and answers to media claims), {@code call.events.v1} (CallAdmitted, CallRejected,
 *       SlotReclaimed; key callId), {@code admission.counters.v1} (every counter change; key: the counter's store
 *       key), {@code call.quarantine.v1}.</li>
 *   <li>Global store {@value #CAMPAIGN_LIMITS_STORE} from {@code campaign.config.v1}: per-campaign overrides.</li>
 * </ul>
 * CallEnded events reach {@code call.admission.v1} as ReleaseSlot commands through the {@link ReleaseBridge}, not
 * through this application: nothing in the command topic then waits for one of this app's transactions.
 * Run with {@code processing.guarantee=exactly_once_v2}; the commit interval bounds decision latency.
 */
public final class AdmissionTopology {

    /** callId -> what admission knows about the call (held slot, decision, release marker). */
    public static final String SLOTS_STORE = "admission-slots";
    /** "global" / "tenant:&lt;id&gt;" / "campaign:&lt;id&gt;" -> active slots. */
    public static final String COUNTERS_STORE = "admission-counters";
    /** (expiry time, callId) -> present: leases and remembered decisions ordered by when they fall due. */
    public static final String EXPIRY_STORE = "admission-expiry";
    /** callId -> the first claim of the call's media ({@link MediaClaims}: single use of media tokens). */
    public static final String CLAIMS_STORE = "admission-media-claims";
    /** (forget time, callId) -> present: media claims ordered by when they are forgotten. */
    public static final String CLAIM_EXPIRY_STORE = "admission-media-claim-expiry";
    /** campaignId -> its own maxConcurrency (global store). */
    public static final String CAMPAIGN_LIMITS_STORE = "admission-campaign-limits";

    public static final String COMMANDS_SOURCE = "admission-commands";
    public static final String PROCESSOR = "admission";
    public static final String DECISIONS_SINK = "admission-decisions-sink";
    public static final String EVENTS_SINK = "admission-events-sink";
    public static final String COUNTERS_SINK = "admission-counters-sink";
    public static final String CAMPAIGN_SOURCE = "campaign-config-source";
    public static final String CAMPAIGN_UPDATER = "campaign-limits-updater";

    private AdmissionTopology() {
    }

    /** The admission topology with the given limits. */
    public static Topology build(AdmissionSettings settings) {
        return build(settings, CallTracing.off());
    }

    /** As {@link #build(AdmissionSettings)}, each slot decision a span of its call's trace ({@code tracing}). */
    public static Topology build(AdmissionSettings settings, CallTracing tracing) {
        Topology topology = new Topology();
        topology.addSource(COMMANDS_SOURCE, Topics.CALL_ADMISSION.keySerde().deserializer(),
                Serdes.ByteArray().deserializer(), Topics.CALL_ADMISSION.name());
        topology.addProcessor(PROCESSOR, () -> new AdmissionProcessor(settings, tracing), COMMANDS_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SLOTS_STORE),
                Serdes.String(), new SlotSerde()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COUNTERS_STORE),
                Serdes.String(), Serdes.Integer()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EXPIRY_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CLAIMS_STORE),
                Serdes.String(), new MediaClaim.Serde()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CLAIM_EXPIRY_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled(), PROCESSOR);
        topology.addSink(DECISIONS_SINK, Topics.CALL_ADMISSION_DECISIONS.name(),
                Topics.CALL_ADMISSION_DECISIONS.keySerde().serializer(),
                Topics.CALL_ADMISSION_DECISIONS.valueSerde().serializer(), PROCESSOR);
        topology.addSink(EVENTS_SINK, Topics.CALL_EVENTS.name(), Topics.CALL_EVENTS.keySerde().serializer(),
                Topics.CALL_EVENTS.valueSerde().serializer(), PROCESSOR);
        topology.addSink(COUNTERS_SINK, Topics.ADMISSION_COUNTERS.name(), Topics.ADMISSION_COUNTERS.keySerde().serializer(),
                Topics.ADMISSION_COUNTERS.valueSerde().serializer(), PROCESSOR);
        topology.addSink(Quarantine.SINK, Topics.CALL_QUARANTINE.name(), Topics.CALL_QUARANTINE.keySerde().serializer(),
                Topics.CALL_QUARANTINE.valueSerde().serializer(), PROCESSOR);

        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CAMPAIGN_LIMITS_STORE),
                        Serdes.String(), Serdes.Integer()).withLoggingDisabled(), CAMPAIGN_SOURCE,
                Topics.CAMPAIGN_CONFIG.keySerde().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.CAMPAIGN_CONFIG.name(), CAMPAIGN_UPDATER, CampaignLimitUpdater::new);
        return topology;
    }
}
