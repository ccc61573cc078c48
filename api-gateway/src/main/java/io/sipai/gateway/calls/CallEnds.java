package io.sipai.gateway.calls;

import java.time.Instant;

import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.runtime.events.CallEventEnvelope.CallRef;
import io.sipai.runtime.events.CallEventEnvelope;

/**
 * How the gateway ends calls in the log. Every call the gateway gave up on after it wrote the call's CallRequested
 * (admission did not decide in time, the provider refused the origination, the call event log did not take the
 * request) ends with a CallEnded, so no call stays requested or admitted forever. Every CallEnded the gateway writes
 * for a call, these and those a provider's final status callback causes, carries the call's one gateway end eventId
 * ({@link #eventId}): the first one written is the call's end, and any later one (a retried callback, a second final
 * status, a callback after a give-up) dedupes downstream.
 */
public interface CallEnds {

    /** The eventId of every CallEnded the gateway writes for the call. */
    static String eventId(String callId) {
        return CallEventEnvelope.stableId(callId, EventSource.API_GATEWAY.name(), "CallEnded");
    }

    /**
     * Ends a call the gateway gave up on: writes its CallEnded (source API_GATEWAY, durationMs since the request)
     * after the call's CallRequested, and records the call as ended. Waits a moment for the broker's
     * acknowledgement, so an answer usually follows the end, but never throws: a give-up is already the answer to a
     * failure.
     *
     * @param requestedAt when the call was requested
     * @param detail      names the cause, e.g. {@code admission_unavailable: no admission decision ...}
     */
    void gaveUp(CallRef call, Instant requestedAt, EndReason reason, String detail);
}
