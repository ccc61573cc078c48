package io.sipai.system.processors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.common.EndReason;
import io.sipai.testing.events.Events;

/**
 * Calls held by a realtime-edge node: granted, then heartbeated every {@code interval} as the edge does. One of them
 * can be dropped (its edge died), after which admission must end it EDGE_LOST; the others must never be ended nor
 * have a heartbeat refused, whatever happens to the processors.
 */
public final class EdgeCalls implements AutoCloseable {

    public static final String TENANT = "edge";

    private final Inputs inputs;
    private final Outputs outputs;
    private final List<String> calls = new ArrayList<>();
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private final Set<String> heartbeatIds = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    public EdgeCalls(Inputs inputs, Outputs outputs, String run, int count) {
        this.inputs = inputs;
        this.outputs = outputs;
        for (int i = 0; i < count; i++) {
            calls.add(run + "-edge-" + i);
        }
    }

    /** Admits every call and starts heartbeating them. */
    public void start(Duration interval) throws Exception {
        List<CompletableFuture<AdmissionDecision>> decisions = new ArrayList<>();
        for (String callId : calls) {
            AdmissionCommand acquire = Events.acquire(callId, TENANT, null);
            decisions.add(outputs.decisionFor(acquire.getCommandId()));
            inputs.send(acquire);
        }
        for (CompletableFuture<AdmissionDecision> decision : decisions) {
            if (!(decision.get(60, TimeUnit.SECONDS).getOutcome() instanceof Granted)) {
                throw new AssertionError("an edge call was not admitted");
            }
        }
        live.addAll(calls);
        timer.scheduleAtFixedRate(this::heartbeat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void heartbeat() {
        for (String callId : live) {
            AdmissionCommand heartbeat = Events.heartbeat(callId, TENANT);
            heartbeatIds.add(heartbeat.getCommandId());
            inputs.send(heartbeat);
        }
    }

    /** The first call's edge dies: its heartbeats stop. Returns the call. */
    public String dropOne() {
        String dropped = calls.getFirst();
        live.remove(dropped);
        return dropped;
    }

    /** The calls still heartbeated. */
    public Set<String> live() {
        return Set.copyOf(live);
    }

    /** Answers admission gave to heartbeats of live calls (there must be none). */
    public List<AdmissionDecision> refusedHeartbeats() {
        return outputs.decisions().stream().map(Outputs.Seen::value)
                .filter(decision -> heartbeatIds.contains(decision.getCommandId())).toList();
    }

    /** Sends one more heartbeat for {@code callId}; the future is admission's answer, if any. */
    public CompletableFuture<AdmissionDecision> heartbeatOnce(String callId) {
        AdmissionCommand heartbeat = Events.heartbeat(callId, TENANT);
        CompletableFuture<AdmissionDecision> answer = outputs.decisionFor(heartbeat.getCommandId());
        inputs.send(heartbeat);
        return answer;
    }

    /** Stops heartbeating and ends the live calls, as their edge does when they hang up. */
    @Override
    public void close() {
        timer.shutdownNow();
        for (String callId : live) {
            inputs.send(Events.eventNow(callId, TENANT, Events.ended(EndReason.CALLER_HANGUP)));
        }
        live.clear();
        inputs.flush();
    }
}
