package io.sipai.edge.session;

import java.util.concurrent.CompletableFuture;

import io.sipai.edge.codec.AudioFormat;

/** Starts the call sessions of the connections and writes the events a connection causes before its call starts. */
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

    /** Whether a session for the call is already live here. */
    boolean live(String callId);
}
