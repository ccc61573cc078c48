package io.sipai.runtime.admission;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The heartbeats an {@link AdmissionClient} sent recently, by callId and commandId, so an answer to one of them
 * (admission answers a heartbeat only when it no longer holds the slot) is recognised as this client's. A call's
 * entries go when its slot is released here or an answer arrived; older ones than {@link #ANSWER_WINDOW_NANOS} are
 * dropped as the call's next heartbeat is sent, so a call keeps at most a window's worth.
 */
final class SentHeartbeats {

    /** How long an answer to a heartbeat is still matched (admission answers within its processing lag). */
    static final long ANSWER_WINDOW_NANOS = 120L * 1_000_000_000L;

    private static final int SWEEP_EVERY = 1024;

    private final Map<String, Map<String, Long>> byCall = new ConcurrentHashMap<>();
    private final AtomicInteger untilSweep = new AtomicInteger(SWEEP_EVERY);

    void sent(String callId, String commandId, long nowNanos) {
        if (untilSweep.decrementAndGet() <= 0) {
            // A heartbeat raced with its call's release and was never answered: its entry goes here.
            untilSweep.set(SWEEP_EVERY);
            byCall.values().removeIf(sent -> sent.values().stream()
                    .allMatch(at -> nowNanos - at > ANSWER_WINDOW_NANOS));
        }
        Map<String, Long> sent = byCall.computeIfAbsent(callId, k -> new ConcurrentHashMap<>());
        sent.values().removeIf(at -> nowNanos - at > ANSWER_WINDOW_NANOS);
        sent.put(commandId, nowNanos);
    }

    /** Whether answers for the call are of interest (cheap check before a decision is decoded). */
    boolean watches(String callId) {
        return callId != null && byCall.containsKey(callId);
    }

    /** Whether this was one of the call's heartbeats; if so, the call is no longer watched. */
    boolean answered(String callId, String commandId) {
        Map<String, Long> sent = byCall.get(callId);
        if (sent == null || !sent.containsKey(commandId)) {
            return false;
        }
        byCall.remove(callId, sent);
        return true;
    }

    void forget(String callId) {
        byCall.remove(callId);
    }

    boolean isEmpty() {
        return byCall.isEmpty();
    }
}
