package io.sipai.processors.timeline.internal;

import java.util.ArrayList;
import java.util.List;

import io.sipai.processors.timeline.TimelineOptions;
import io.sipai.timeline.CallTimeline;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the timeline stores bounded: when a call ends (or is rejected) its two retention stages are recorded in the
 * {@link RetentionIndex}; a wall-clock sweep later deletes the call's dedupe keys (after
 * {@link TimelineOptions#dedupeRetention()}) and then its summary (after {@link TimelineOptions#retention()}). Each
 * sweep deletes at most {@value #MAX_DELETES_PER_SWEEP} keys; a call with more dedupe keys than that keeps its
 * index entry and is finished by the next sweeps, so no tick ever stalls the task however long the call was.
 */
final class CallRetention {

    /** Most store keys deleted by one sweep. */
    static final int MAX_DELETES_PER_SWEEP = 2_000;

    private final TimelineOptions options;
    private final RetentionIndex index;
    private final KeyValueStore<String, CallTimeline> summaries;
    private final KeyValueStore<String, Long> eventIds;

    CallRetention(TimelineOptions options, RetentionIndex index, KeyValueStore<String, CallTimeline> summaries,
                  KeyValueStore<String, Long> eventIds) {
        this.options = options;
        this.index = index;
        this.summaries = summaries;
        this.eventIds = eventIds;
    }

    /** The first key of a call's dedupe keys; {@link #eventIdsEnd} is the last. */
    static String eventIdsStart(String callId) {
        return callId + TimelineProcessor.SEPARATOR;
    }

    private static String eventIdsEnd(String callId) {
        return callId + (char) (TimelineProcessor.SEPARATOR + 1);
    }

    /** Schedules the forgetting of a call that has just ended at wall-clock time {@code now}. */
    void ended(String callId, long now) {
        index.add(now + options.dedupeRetention().toMillis(), RetentionIndex.Stage.FORGET_EVENT_IDS, callId);
        index.add(now + options.retention().toMillis(), RetentionIndex.Stage.FORGET_CALL, callId);
    }

    /** Handles what fell due by {@code now}, within the per-sweep budget. */
    void sweep(long now) {
        int budget = MAX_DELETES_PER_SWEEP;
        for (RetentionIndex.Due due : index.due(now, MAX_DELETES_PER_SWEEP)) {
            budget -= forgetEventIds(due.callId(), budget);
            if (budget <= 0) {
                return;
            }
            if (due.stage() == RetentionIndex.Stage.FORGET_CALL) {
                summaries.delete(due.callId());
                budget--;
            }
            index.remove(due);
            budget--;
            if (budget <= 0) {
                return;
            }
        }
    }

    /** Deletes up to {@code budget} dedupe keys of the call; returns how many it deleted. */
    private int forgetEventIds(String callId, int budget) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Long> range = eventIds.range(eventIdsStart(callId), eventIdsEnd(callId))) {
            while (range.hasNext() && keys.size() < budget) {
                KeyValue<String, Long> next = range.next();
                keys.add(next.key);
            }
        }
        keys.forEach(eventIds::delete);
        return keys.size();
    }
}
