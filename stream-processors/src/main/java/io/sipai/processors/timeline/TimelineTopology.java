package io.sipai.processors.timeline;

import io.sipai.processors.internal.Quarantine;
import io.sipai.processors.timeline.internal.TimelineProcessor;
import io.sipai.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The timeline application: {@code call.events.v1} (key callId, 12 partitions, one task each) -> timeline
 * processor with stores {@value #SUMMARY_STORE} and {@value #EVENT_IDS_STORE} -> {@code call.timeline.v1}
 * (compacted, key callId), {@code call.timeline-entries.v1} (key callId, seq 1..n per call) and
 * {@code call.quarantine.v1}. Run with {@code processing.guarantee=exactly_once_v2}; see {@link TimelineProcessor}.
 */
public final class TimelineTopology {

    /** callId -> the call's {@link io.sipai.timeline.CallTimeline} summary. */
    public static final String SUMMARY_STORE = "timeline-summaries";
    /** callId + NUL + eventId -> seq of the entry it produced (dedupe). */
    public static final String EVENT_IDS_STORE = "timeline-event-ids";

    public static final String SOURCE = "timeline-call-events";
    public static final String PROCESSOR = "timeline";
    public static final String TIMELINE_SINK = "timeline-sink";
    public static final String ENTRIES_SINK = "timeline-entries-sink";

    private TimelineTopology() {
    }

    /** The timeline topology. */
    public static Topology build() {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Topics.CALL_EVENTS.keySerde().deserializer(),
                Serdes.ByteArray().deserializer(), Topics.CALL_EVENTS.name());
        topology.addProcessor(PROCESSOR, TimelineProcessor::new, SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SUMMARY_STORE),
                Serdes.String(), Topics.CALL_TIMELINE.valueSerde()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EVENT_IDS_STORE),
                Serdes.String(), Serdes.Long()), PROCESSOR);
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
