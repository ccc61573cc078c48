package io.sipai.system.processors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import io.sipai.admission.AdmissionDecision;
import io.sipai.schemas.Topics;
import io.sipai.timeline.TimelineEntry;

/**
 * How long processing stopped after each kill, from what was sent and what came out: the timeline resumed on a
 * partition of {@code call.events.v1} when the first entry of an event written to it after the kill arrived
 * (committed), and admission resumed when the first decision on a command written after the kill arrived. A
 * partition the survivor already owned resumes at once; one the killed instance owned, after the survivor took it
 * over.
 */
public final class Failovers {

    /** One SIGKILL: which instance, when ({@link System#nanoTime()}), and whether it ran the admission task. */
    public record Kill(String victim, long at, boolean ranAdmission) {
    }

    /** Milliseconds from the kill until each partition's timeline, and admission, processed new input. */
    public record Resumed(Kill kill, List<Long> timelinePartitionsMs, OptionalLong admissionMs) {

        /** Until every partition and admission resumed; empty while one has not. */
        public OptionalLong allMs(int partitions) {
            if (timelinePartitionsMs.size() < partitions || admissionMs.isEmpty()) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Math.max(Collections.max(timelinePartitionsMs), admissionMs.getAsLong()));
        }
    }

    private Failovers() {
    }

    /** What resumed after {@code kill}, as far as the outputs seen so far tell. */
    public static Resumed resumed(Kill kill, Inputs inputs, Outputs outputs, int partitions) {
        Map<String, Long> entrySeen = firstEntrySeen(outputs);
        long[] firstByPartition = new long[partitions];
        java.util.Arrays.fill(firstByPartition, Long.MAX_VALUE);
        inputs.sentEvents().forEach((eventId, sent) -> {
            Long seenAt = entrySeen.get(eventId);
            if (sent.at() > kill.at() && sent.partition() >= 0 && seenAt != null) {
                firstByPartition[sent.partition()] = Math.min(firstByPartition[sent.partition()], seenAt);
            }
        });
        List<Long> timeline = new ArrayList<>();
        for (long first : firstByPartition) {
            if (first != Long.MAX_VALUE) {
                timeline.add((first - kill.at()) / 1_000_000);
            }
        }
        Map<String, Inputs.Sent> commands = inputs.sentCommands();
        OptionalLong admission = OptionalLong.empty();
        for (Outputs.Seen<AdmissionDecision> seen : outputs.decisions()) {
            Inputs.Sent sent = commands.get(seen.value().getCommandId());
            if (sent != null && sent.at() > kill.at()) {
                long ms = (seen.at() - kill.at()) / 1_000_000;
                admission = OptionalLong.of(admission.isEmpty() ? ms : Math.min(ms, admission.getAsLong()));
            }
        }
        return new Resumed(kill, timeline, admission);
    }

    /** What was sent this long before a kill counts as sent in calm times (the slowest results take seconds). */
    private static final long CALM_MARGIN_NANOS = 5_000_000_000L;

    /**
     * Milliseconds from sending to seeing the result (committed) of what was sent in calm times: before the first
     * kill, or after a failover resumed, and at least 5 s before the next kill (nothing after the last, when the
     * test writes the rest at once): each event to its timeline entry, each command to its decision. What a
     * takeover adds is on top of this, so the report shows it beside the kill figures.
     */
    public static Latencies calmLatencies(List<Resumed> failovers, Inputs inputs, Outputs outputs) {
        int partitions = Topics.CALL_EVENTS.partitions();
        List<Window> calm = new ArrayList<>();
        long from = Long.MIN_VALUE;
        for (Resumed failover : failovers) {
            calm.add(new Window(from, failover.kill().at() - CALM_MARGIN_NANOS));
            from = failover.kill().at() + failover.allMs(partitions).orElse(0) * 1_000_000;
        }
        Map<String, Long> entrySeen = firstEntrySeen(outputs);
        Map<String, Long> inputSeen = outputs.eventsSeen();
        List<Long> events = new ArrayList<>();
        List<Long> acked = new ArrayList<>();
        List<Long> readable = new ArrayList<>();
        inputs.sentEvents().forEach((eventId, sent) -> {
            Long seenAt = entrySeen.get(eventId);
            if (seenAt != null && within(calm, sent.at())) {
                events.add((seenAt - sent.at()) / 1_000_000);
                acked.add((sent.ackedAt() - sent.at()) / 1_000_000);
                Long read = inputSeen.get(eventId);
                if (read != null) {
                    readable.add((read - sent.at()) / 1_000_000);
                }
            }
        });
        Map<String, Inputs.Sent> commands = inputs.sentCommands();
        List<Long> decisions = new ArrayList<>();
        for (Outputs.Seen<AdmissionDecision> seen : outputs.decisions()) {
            Inputs.Sent sent = commands.get(seen.value().getCommandId());
            if (sent != null && within(calm, sent.at())) {
                decisions.add((seen.at() - sent.at()) / 1_000_000);
            }
        }
        return new Latencies(events, decisions, acked, readable);
    }

    private static boolean within(List<Window> windows, long at) {
        return windows.stream().anyMatch(window -> at >= window.from() && at < window.until());
    }

    /** From {@code from} (inclusive) to {@code until} (exclusive), {@link System#nanoTime()} values. */
    private record Window(long from, long until) {
    }

    /**
     * Send-to-seen milliseconds of events (to their entries) and commands (to their decisions), and of the events'
     * first stages: to the producer's acknowledgement ({@code acks=all}) and to being readable in
     * {@code call.events.v1}.
     */
    public record Latencies(List<Long> eventsMs, List<Long> decisionsMs, List<Long> ackedMs, List<Long> readableMs) {
    }

    /** When the test first saw each event's timeline entry, by eventId. */
    private static Map<String, Long> firstEntrySeen(Outputs outputs) {
        Map<String, Long> entrySeen = new HashMap<>();
        for (Outputs.Seen<TimelineEntry> seen : outputs.entries()) {
            entrySeen.putIfAbsent(seen.value().getEventId(), seen.at());
        }
        return entrySeen;
    }

    /** The {@code p}-th percentile (nearest rank) of {@code values}. */
    public static long percentile(List<Long> values, double p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
