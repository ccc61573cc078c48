package io.sipai.edge.events;

import java.time.Instant;

import io.sipai.common.EventSource;
import io.sipai.events.CallEvent;
import io.sipai.runtime.events.CallEventEnvelope;

/** Builds the edge's {@code call.events.v1} envelopes: a fresh eventId, the call's ids, source REALTIME_EDGE. */
public final class CallEvents {

    private CallEvents() {
    }

    public static CallEvent envelope(CallEventEnvelope.CallRef call, Object payload, Instant occurredAt) {
        return CallEventEnvelope.of(call, EventSource.REALTIME_EDGE, occurredAt, payload);
    }
}
