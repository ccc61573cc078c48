package io.sipai.edge.session;

import java.util.concurrent.CompletableFuture;

import io.sipai.common.EndReason;
import io.sipai.edge.codec.AudioFormat;

/**
 * Starts the call sessions of the connections, writes the events a connection causes before its call starts, and
 * ends the calls a connection gives up on before their session started.
 */
public interface CallSessionFactory {

    /**
     * Starts the session of a connected, authenticated and admitted call: registers it, writes CallStarted (and
     * CallAnswered for an inbound call) and creates its pipeline.
     *
     * @param inFormat  encoding of the caller audio the transport receives
     * @param sequenced whether the transport numbers its audio messages (enables the jitter buffer)
     * @param slotHeld  whether the call holds an admission slot this node must heartbeat and release
     * @throws IllegalStateException when the call is already live on this node
     */
    CallSession start(CallContext context, MediaTransport transport, AudioFormat inFormat, boolean sequenced,
                      boolean slotHeld);

    /**
     * Writes an event that another service's events depend on, completing once the broker acknowledged it: the
     * caller causes those events only then, so the log holds the cause first (causal order, docs/events.md).
     */
    CompletableFuture<Void> emitAcknowledged(CallContext context, Object payload);

    /**
     * Ends a call this node gave up on before its session started (admission gave no decision, the socket closed,
     * broke or was drained before the call's start): writes its CallEnded like a session's end (never dropped,
     * journaled, retried until written, the same eventId) and, when {@code releaseSlot}, releases its slot. The
     * caller calls this once per call, and only once its CallRequested (if it wrote one) is acknowledged, so the
     * end never precedes the request in the log.
     *
     * @param durationMs how long the call had been requested (CallEnded.durationMs of a call that never started)
     */
    void abandon(CallContext context, EndReason reason, String detail, long durationMs, boolean releaseSlot);

    /** Whether a session for the call is already live here. */
    boolean live(String callId);
}
