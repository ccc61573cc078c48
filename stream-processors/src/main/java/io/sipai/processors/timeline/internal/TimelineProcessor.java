package io.sipai.processors.timeline.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.sipai.events.CallEvent;
import io.sipai.processors.timeline.TimelineOptions;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.runtime.kafka.Quarantine;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.Topics;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Builds call timelines from {@code call.events.v1} (key callId). For each event: drops a repeat of an eventId
 * already applied to the call (a producer or application retry), checks the call state machine
 * ({@link CallStateMachine}), then writes the next numbered {@link TimelineEntry} to
 * {@code call.timeline-entries.v1} at once and marks the call's {@link CallTimeline} summary changed; a wall-clock
 * punctuator publishes each changed summary to compacted {@code call.timeline.v1} once per
 * {@link TimelineOptions#summaryInterval()} (both outputs keyed by callId), so a busy call costs one summary record
 * per interval instead of one per event. The changed-calls set is a store ({@value TimelineTopology#DIRTY_STORE}),
 * so a summary marked but not yet published when a commit happens is still published after a crash. Events that
 * cannot apply go to {@code call.quarantine.v1} with the reason and their original bytes; values arrive as bytes
 * and are decoded here, so undecodable bytes are quarantined (UNDECODABLE) in the same transaction as everything
 * else.
 *
 * <p>State: the summary per call ({@value TimelineTopology#SUMMARY_STORE}) and one small key per applied event
 * ({@value TimelineTopology#EVENT_IDS_STORE}: callId + eventId -> seq), so a call with thousands of entries never
 * makes one large value; the entries themselves live only on the entries topic, where a reader pages them by seq.
 * Under exactly-once the stores, outputs and input offsets commit together: after a crash no entry is lost or
 * numbered twice. Ended calls are forgotten after the configured retention ({@link CallRetention}). Each applied
 * event and each ended call is part of the call's trace ({@link TimelineSpans}).
 */
public final class TimelineProcessor extends ContextualProcessor<String, byte[], String, SpecificRecord> {

    /** Separates callId and eventId in a dedupe key; sorts below every printable character. */
    static final char SEPARATOR = '\u0000';
    /** How often the retention sweep runs. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
    /** Most summaries published by one punctuation; the rest stay marked for the next one. */
    static final int MAX_SUMMARIES_PER_PUBLISH = 10_000;

    private static final byte[] MARK = new byte[0];

    private final TimelineOptions options;
    private final TimelineSpans spans;
    private KeyValueStore<String, CallTimeline> summaries;
    private KeyValueStore<String, Long> eventIds;
    private KeyValueStore<String, byte[]> dirty;
    private CallRetention retention;

    public TimelineProcessor(TimelineOptions options, CallTracing tracing) {
        this.options = options;
        this.spans = new TimelineSpans(tracing);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        summaries = context.getStateStore(TimelineTopology.SUMMARY_STORE);
        eventIds = context.getStateStore(TimelineTopology.EVENT_IDS_STORE);
        dirty = context.getStateStore(TimelineTopology.DIRTY_STORE);
        KeyValueStore<Bytes, byte[]> retentionStore = context.getStateStore(TimelineTopology.RETENTION_STORE);
        retention = new CallRetention(options, new RetentionIndex(retentionStore), summaries, eventIds);
        context.schedule(options.summaryInterval(), PunctuationType.WALL_CLOCK_TIME, this::publishSummaries);
        context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, retention::sweep);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        CallTracing.withCallId(record.key(), () -> apply(record));
    }

    private void apply(Record<String, byte[]> record) {
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
        dirty.put(event.getCallId(), MARK);
        if (terminal(timeline.getStatus()) && (current == null || !terminal(current.getStatus()))) {
            retention.ended(event.getCallId(), context().currentSystemTimeMs());
            spans.ended(timeline);
        }
        TimelineEntry entry = TimelineEntry.newBuilder()
                .setCallId(event.getCallId())
                .setTenantId(event.getTenantId())
                .setSeq(seq)
                .setEventId(event.getEventId())
                .setEventType(event.getPayload().getClass().getSimpleName())
                .setOccurredAt(event.getOccurredAt())
                .setEvent(event)
                .build();
        context().forward(record.withValue(entry).withHeaders(spans.applied(event, seq, record.headers())),
                TimelineTopology.ENTRIES_SINK);
    }

    private static boolean terminal(CallStatus status) {
        return status == CallStatus.ENDED || status == CallStatus.REJECTED;
    }

    /** Publishes the summary of every call changed since the last publication (bounded per tick). */
    private void publishSummaries(long now) {
        List<String> changed = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> marks = dirty.all()) {
            while (marks.hasNext() && changed.size() < MAX_SUMMARIES_PER_PUBLISH) {
                KeyValue<String, byte[]> next = marks.next();
                changed.add(next.key);
            }
        }
        for (String callId : changed) {
            dirty.delete(callId);
            CallTimeline timeline = summaries.get(callId);
            if (timeline != null) {
                context().forward(new Record<>(callId, timeline, timeline.getLastEventAt().toEpochMilli()),
                        TimelineTopology.TIMELINE_SINK);
            }
        }
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
