package io.sipai.system.processors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallEvent;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import io.sipai.timeline.TimelineEntry;
import org.apache.kafka.common.utils.Utils;

/**
 * {@value #CALLS} concurrent calls of {@value #ENTRIES} timeline entries each, written as the services write them:
 * CallRequested (api-gateway, acknowledged before admission is asked), an AcquireSlot answered by the real admission
 * processor (which writes CallAdmitted), then CallStarted, CallAnswered, in-call events and CallEnded (realtime-edge),
 * round by round over all calls at a steady pace. The calls belong to {@value #TENANTS} tenants, ten each, so each
 * tenant sits exactly at a limit of ten.
 */
public final class TimelineCalls {

    public static final int CALLS = 50;
    public static final int TENANTS = 5;
    /** Entries per call: the test's 299 events and admission's CallAdmitted. */
    public static final int ENTRIES = 300;
    private static final int ROUNDS = ENTRIES - 2;

    private final Inputs inputs;
    private final Outputs outputs;
    private final List<String> callIds;
    private final Set<String> callIdSet;
    private final Map<String, List<String>> sentIds = new ConcurrentHashMap<>();
    private volatile boolean hurry;

    public TimelineCalls(Inputs inputs, Outputs outputs, String run) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.callIds = spreadOverPartitions(run, CALLS, Topics.CALL_EVENTS.partitions());
        this.callIdSet = Set.copyOf(callIds);
    }

    /**
     * Call ids whose records land on the partitions of {@code call.events.v1} in turn (as the producer's default
     * partitioner places a key), so every partition carries the same steady traffic: a failover's end is seen on a
     * partition when the first event written after the kill comes out, and a partition that random ids left with no
     * call would show only when its next event happened to be written (seen: one partition with ten events in a
     * run, which "resumed" 33 s after a kill whose takeover took 7).
     */
    static List<String> spreadOverPartitions(String run, int calls, int partitions) {
        List<String> ids = new ArrayList<>();
        for (int call = 0; call < calls; call++) {
            int salt = 0;
            String id = run + "-tl-" + call;
            while (partitionOf(id, partitions) != call % partitions) {
                if (++salt > 10_000) {
                    throw new IllegalStateException("no id for call " + call + " lands on partition "
                            + call % partitions);
                }
                id = run + "-tl-" + call + "-" + salt;
            }
            ids.add(id);
        }
        return List.copyOf(ids);
    }

    static int partitionOf(String key, int partitions) {
        byte[] bytes = Topics.CALL_EVENTS.keySerde().serializer().serialize(Topics.CALL_EVENTS.name(), key);
        return Utils.toPositive(Utils.murmur2(bytes)) % partitions;
    }

    public static String tenant(int call) {
        return "tl-" + (call % TENANTS);
    }

    private String callId(int call) {
        return callIds.get(call);
    }

    /** Requests and admits every call; fails unless every one is granted. */
    public void admitAll() throws Exception {
        List<CompletableFuture<AdmissionDecision>> decisions = new ArrayList<>();
        for (int call = 0; call < CALLS; call++) {
            CallEvent requested = CallEvent.newBuilder(Events.eventNow(callId(call), tenant(call), Events.requested()))
                    .setSource(EventSource.API_GATEWAY).build();
            sentIds.computeIfAbsent(callId(call), id -> new ArrayList<>()).add(requested.getEventId());
            inputs.sendAndWait(requested);
            AdmissionCommand acquire = Events.acquire(callId(call), tenant(call), null);
            decisions.add(outputs.decisionFor(acquire.getCommandId()));
            inputs.send(acquire);
        }
        for (CompletableFuture<AdmissionDecision> decision : decisions) {
            Object outcome = decision.get(60, TimeUnit.SECONDS).getOutcome();
            if (!(outcome instanceof Granted)) {
                throw new AssertionError("a timeline call was not admitted: " + outcome);
            }
        }
    }

    /**
     * Writes every call's remaining events, round by round, spread evenly over {@code duration} until
     * {@link #hurry()}, then the rest at once.
     */
    public CompletableFuture<Void> play(Duration duration) {
        return CompletableFuture.runAsync(() -> {
            long start = System.nanoTime();
            long perEvent = duration.toNanos() / ((long) ROUNDS * CALLS);
            int sent = 0;
            for (int round = 0; round < ROUNDS; round++) {
                for (int call = 0; call < CALLS; call++) {
                    CallEvent event = Events.eventNow(callId(call), tenant(call), payload(round));
                    sentIds.get(callId(call)).add(event.getEventId());
                    inputs.send(event);
                    sent++;
                    if (!hurry) {
                        sleepUntil(start + sent * perEvent);
                    }
                }
            }
            inputs.flush();
        }, runnable -> Thread.ofPlatform().name("timeline-calls").start(runnable));
    }

    /** The rest of the events goes out without pacing: the scenario needs no more traffic. */
    public void hurry() {
        hurry = true;
    }

    private static Object payload(int round) {
        return switch (round) {
            case 0 -> Events.started();
            case 1 -> Events.answered();
            case ROUNDS - 1 -> Events.ended(EndReason.CALLER_HANGUP);
            default -> switch (round % 4) {
                case 0 -> Events.transcript("words " + round, true, round);
                case 1 -> Events.transcript("word", false, round);
                case 2 -> Events.utterance("reply " + round, round);
                default -> Events.dtmf(String.valueOf(round % 10));
            };
        };
    }

    /** Whether every call's {@value #ENTRIES} entries have arrived. */
    public boolean complete() {
        return byCall().values().stream().filter(list -> list.size() >= ENTRIES).count() == CALLS;
    }

    /**
     * What is wrong with the timelines: for each call, entries numbered 1..{@value #ENTRIES} in order without a gap,
     * every eventId once, every event the test wrote among them, and one CallAdmitted from admission.
     */
    public Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, List<TimelineEntry>> byCall = byCall();
        for (int call = 0; call < CALLS; call++) {
            String callId = callId(call);
            List<TimelineEntry> entries = byCall.getOrDefault(callId, List.of());
            List<Long> seqs = entries.stream().map(TimelineEntry::getSeq).toList();
            Set<String> ids = new HashSet<>();
            entries.forEach(entry -> ids.add(entry.getEventId()));
            long admitted = entries.stream().filter(e -> e.getEvent().getPayload() instanceof CallAdmitted).count();
            if (!seqs.equals(java.util.stream.LongStream.rangeClosed(1, ENTRIES).boxed().toList())) {
                problems.put(callId, "seqs " + summary(seqs));
            } else if (ids.size() != ENTRIES) {
                problems.put(callId, (ENTRIES - ids.size()) + " eventIds applied twice");
            } else if (!ids.containsAll(sentIds.get(callId))) {
                problems.put(callId, "an event the test wrote is missing");
            } else if (admitted != 1) {
                problems.put(callId, admitted + " CallAdmitted entries");
            }
        }
        return problems;
    }

    private Map<String, List<TimelineEntry>> byCall() {
        Map<String, List<TimelineEntry>> byCall = new LinkedHashMap<>();
        for (Outputs.Seen<TimelineEntry> seen : outputs.entries()) {
            if (callIdSet.contains(seen.value().getCallId())) {
                byCall.computeIfAbsent(seen.value().getCallId(), id -> new ArrayList<>()).add(seen.value());
            }
        }
        return byCall;
    }

    private static String summary(List<Long> seqs) {
        return seqs.size() <= 10 ? seqs.toString() : seqs.size() + " entries, first " + seqs.subList(0, 5)
                + ", last " + seqs.subList(seqs.size() - 5, seqs.size());
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
