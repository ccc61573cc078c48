package io.sipai.processors.timeline.internal;

import java.nio.charset.StandardCharsets;

import io.sipai.events.CallEvent;
import io.sipai.processors.internal.Quarantine;
import io.sipai.processors.timeline.TimelineTopology;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.schemas.Topics;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Builds call timelines from {@code call.events.v1} (key callId). For each event: drops a repeat of an eventId
 * already applied to the call (a producer or application retry), checks the call state machine
 * ({@link CallStateMachine}), then writes the next numbered {@link TimelineEntry} to
 * {@code call.timeline-entries.v1} and the new {@link CallTimeline} summary to compacted {@code call.timeline.v1}
 * (both keyed by callId). Events that cannot apply go to {@code call.quarantine.v1} with the reason and their
 * original bytes; values arrive as bytes and are decoded here, so undecodable bytes are quarantined (UNDECODABLE)
 * in the same transaction as everything else.
 *
 * <p>State: the summary per call ({@value TimelineTopology#SUMMARY_STORE}) and one small key per applied event
 * ({@value TimelineTopology#EVENT_IDS_STORE}: callId + eventId -> seq), so a call with thousands of entries never
 * makes one large value; the entries themselves live only on the entries topic, where a reader pages them by seq.
 * Under exactly-once the stores, outputs and input offsets commit together: after a crash no entry is lost or
 * numbered twice.
 */
public final class TimelineProcessor extends ContextualProcessor<String, byte[], String, SpecificRecord> {

    private static final char SEPARATOR = '\u0000';

    private KeyValueStore<String, CallTimeline> summaries;
    private KeyValueStore<String, Long> eventIds;

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        summaries = context.getStateStore(TimelineTopology.SUMMARY_STORE);
        eventIds = context.getStateStore(TimelineTopology.EVENT_IDS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        CallEvent event;
        try {
            event = Topics.CALL_EVENTS.valueSerde().deserializer().deserialize(Topics.CALL_EVENTS.name(),
                    record.value());
        } catch (SerializationException e) {
            quarantine(record, QuarantineReason.UNDECODABLE, e.getMessage());
            return;
        }
        String problem = malformed(record.key(), event);
        if (problem != null) {
            quarantine(record, QuarantineReason.MALFORMED, problem);
            return;
        }
        String eventKey = event.getCallId() + SEPARATOR + event.getEventId();
        if (eventIds.get(eventKey) != null) {
            return;
        }
        CallTimeline current = summaries.get(event.getCallId());
        if (current != null && !current.getTenantId().equals(event.getTenantId())) {
            quarantine(record, QuarantineReason.MALFORMED, "tenantId " + event.getTenantId()
                    + " differs from the call's tenant " + current.getTenantId());
            return;
        }
        switch (CallStateMachine.apply(current, event)) {
            case CallStateMachine.Refused refused -> quarantine(record, refused.reasonCode(), refused.reason());
            case CallStateMachine.Applied applied -> append(record, event, eventKey, current, applied.timeline());
        }
    }

    private void append(Record<String, byte[]> record, CallEvent event, String eventKey, CallTimeline current,
                        CallTimeline.Builder next) {
        long seq = (current == null ? 0 : current.getEntryCount()) + 1;
        CallTimeline timeline = next.setEntryCount(seq)
                .setVersion((current == null ? 0 : current.getVersion()) + 1)
                .setLastEventId(event.getEventId())
                .setLastEventAt(event.getOccurredAt())
                .build();
        summaries.put(event.getCallId(), timeline);
        eventIds.put(eventKey, seq);
        TimelineEntry entry = TimelineEntry.newBuilder()
                .setCallId(event.getCallId())
                .setTenantId(event.getTenantId())
                .setSeq(seq)
                .setEventId(event.getEventId())
                .setEventType(event.getPayload().getClass().getSimpleName())
                .setOccurredAt(event.getOccurredAt())
                .setEvent(event)
                .build();
        context().forward(record.withValue(entry), TimelineTopology.ENTRIES_SINK);
        context().forward(record.withValue(timeline), TimelineTopology.TIMELINE_SINK);
    }

    private static String malformed(String key, CallEvent event) {
        if (event == null) {
            return "empty value";
        }
        if (blank(event.getEventId())) {
            return "eventId is blank";
        }
        if (blank(event.getCallId())) {
            return "callId is blank";
        }
        if (blank(event.getTenantId())) {
            return "tenantId is blank";
        }
        if (!event.getCallId().equals(key)) {
            return "record key " + key + " is not the event's callId " + event.getCallId();
        }
        if (event.getPayload() == null) {
            return "payload is missing";
        }
        return null;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private void quarantine(Record<String, byte[]> record, QuarantineReason reasonCode, String reason) {
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        context().forward(new Record<>(record.key(), Quarantine.of(context(), reasonCode, reason, key,
                record.value()), record.timestamp()), Quarantine.SINK);
    }
}
