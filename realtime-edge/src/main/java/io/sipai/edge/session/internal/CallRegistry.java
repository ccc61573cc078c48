package io.sipai.edge.session.internal;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live calls of this edge node, by callId; used for heartbeats and their answers, the live-call gauge and
 * duplicate detection.
 */
public final class CallRegistry {

    private final ConcurrentHashMap<String, CallLifecycle> calls = new ConcurrentHashMap<>();

    /** Registers a call; false when a call with the same callId is already live. */
    boolean add(CallLifecycle call) {
        return calls.putIfAbsent(call.context().callId(), call) == null;
    }

    void remove(CallLifecycle call) {
        calls.remove(call.context().callId(), call);
    }

    /** Whether a call with this id is live here. */
    boolean contains(String callId) {
        return calls.containsKey(callId);
    }

    /** The live call with this id, or null. */
    CallLifecycle find(String callId) {
        return calls.get(callId);
    }

    /** A snapshot of the live calls. */
    Collection<CallLifecycle> live() {
        return List.copyOf(calls.values());
    }

    public int size() {
        return calls.size();
    }
}
