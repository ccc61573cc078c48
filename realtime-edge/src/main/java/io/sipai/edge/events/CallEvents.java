package io.sipai.edge.events;

import java.time.Instant;

import io.sipai.common.EventSource;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.runtime.events.CallEventEnvelope;

/**
 * Builds the edge's {@code call.events.v1} envelopes: the call's ids, source REALTIME_EDGE, a fresh eventId, except
 * for the end of a call, whose eventId is derived from the callId ({@link #endedEventId}).
 */
public final class CallEvents {

    private CallEvents() {
    }

    public static CallEvent envelope(CallEventEnvelope.CallRef call, Object payload, Instant occurredAt) {
        return CallEventEnvelope.of(call, EventSource.REALTIME_EDGE, occurredAt, payload);
    }

    /**
     * The call's CallEnded as the edge writes it. A node ends a call once (a session ends once; a call given up
     * before its session started has none), and the eventId is the same for every CallEnded any edge node writes
     * for the call, so should two ever be written (two connections claiming one call, two nodes), downstream
     * dedupes them to the first.
     */
    public static CallEvent ended(CallEventEnvelope.CallRef call, CallEnded ended, Instant occurredAt) {
        return CallEventEnvelope.of(call, EventSource.REALTIME_EDGE, endedEventId(call.callId()), occurredAt, ended);
    }

    /** The eventId of every CallEnded the edge writes for the call. */
    public static String endedEventId(String callId) {
        return CallEventEnvelope.stableId(callId, EventSource.REALTIME_EDGE.name(), "CallEnded");
    }
}
