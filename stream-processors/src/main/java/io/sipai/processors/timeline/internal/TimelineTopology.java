package io.sipai.processors.timeline.internal;

import io.sipai.processors.timeline.TimelineOptions;
import io.sipai.runtime.kafka.Quarantine;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The timeline application: {@code call.events.v1} (key callId, 12 partitions, one task each) -> timeline
 * processor with stores {@value #SUMMARY_STORE}, {@value #EVENT_IDS_STORE}, {@value #DIRTY_STORE} and
 * {@value #RETENTION_STORE} -> {@code call.timeline.v1} (compacted, key callId), {@code call.timeline-entries.v1}
 * (key callId, seq 1..n per call) and {@code call.quarantine.v1}. Run with
 * {@code processing.guarantee=exactly_once_v2}; see {@link TimelineProcessor}.
 */
public final class TimelineTopology {

    /** callId -> the call's {@link io.sipai.timeline.CallTimeline} summary. */
    public static final String SUMMARY_STORE = "timeline-summaries";
    /** callId + NUL + eventId -> seq of the entry it produced (dedupe). */
    public static final String EVENT_IDS_STORE = "timeline-event-ids";
    /** callId -> present: calls whose summary changed since it was last published. */
    public static final String DIRTY_STORE = "timeline-dirty";
    /** (due time, stage, callId) -> present: retention work on ended calls, ordered by when it falls due. */
    public static final String RETENTION_STORE = "timeline-retention";

    public static final String SOURCE = "timeline-call-events";
    public static final String PROCESSOR = "timeline";
    public static final String TIMELINE_SINK = "timeline-sink";
    public static final String ENTRIES_SINK = "timeline-entries-sink";

    private TimelineTopology() {
    }

    /** The timeline topology with {@link TimelineOptions#defaults()}. */
    public static Topology build() {
        return build(TimelineOptions.defaults());
    }

    /** The timeline topology, tracing off. */
    public static Topology build(TimelineOptions options) {
        return build(options, CallTracing.off());
    }

    /** The timeline topology, its spans made with {@code tracing}. */
    public static Topology build(TimelineOptions options, CallTracing tracing) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Topics.CALL_EVENTS.keySerde().deserializer(),
                Serdes.ByteArray().deserializer(), Topics.CALL_EVENTS.name());
        topology.addProcessor(PROCESSOR, () -> new TimelineProcessor(options, tracing), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SUMMARY_STORE),
                Serdes.String(), Topics.CALL_TIMELINE.valueSerde()).withCachingEnabled(), PROCESSOR);
        // Cached: the keys are written once each, but the cache turns a commit's puts into one batch per flush.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EVENT_IDS_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), PROCESSOR);
        // Small (the calls touched within one summary interval) and rewritten per event: in memory, cached so that
        // its changelog sees each call at most once per commit.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DIRTY_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RETENTION_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled(), PROCESSOR);
        topology.addSink(TIMELINE_SINK, Topics.CALL_TIMELINE.name(), Topics.CALL_TIMELINE.keySerde().serializer(),
                Topics.CALL_TIMELINE.valueSerde().serializer(), PROCESSOR);
        topology.addSink(ENTRIES_SINK, Topics.CALL_TIMELINE_ENTRIES.name(),
                Topics.CALL_TIMELINE_ENTRIES.keySerde().serializer(),
                Topics.CALL_TIMELINE_ENTRIES.valueSerde().serializer(), PROCESSOR);
        topology.addSink(Quarantine.SINK, Topics.CALL_QUARANTINE.name(), Topics.CALL_QUARANTINE.keySerde().serializer(),
                Topics.CALL_QUARANTINE.valueSerde().serializer(), PROCESSOR);
        return topology;
    }
}
