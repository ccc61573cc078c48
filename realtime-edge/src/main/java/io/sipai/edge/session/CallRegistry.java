package io.sipai.edge.session;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The live call sessions of this edge node, by callId; used for heartbeats, drain and duplicate detection. */
public final class CallRegistry {

    private final ConcurrentHashMap<String, CallSession> sessions = new ConcurrentHashMap<>();

    /** Registers a session; false when a session with the same callId is already live. */
    boolean add(CallSession session) {
        return sessions.putIfAbsent(session.context().callId(), session) == null;
    }

    void remove(CallSession session) {
        sessions.remove(session.context().callId(), session);
    }

    /** Whether a session for the call is live here. */
    public boolean contains(String callId) {
        return sessions.containsKey(callId);
    }

    /** A snapshot of the live sessions. */
    public Collection<CallSession> live() {
        return List.copyOf(sessions.values());
    }

    public int size() {
        return sessions.size();
    }
}
