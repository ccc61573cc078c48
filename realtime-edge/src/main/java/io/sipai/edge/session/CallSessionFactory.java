package io.sipai.edge.session;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.sipai.common.CallDirection;
import io.sipai.edge.EdgeSettings;
import io.sipai.edge.codec.AudioFormat;
import io.sipai.edge.events.CallEventPublisher;
import io.sipai.edge.events.CallEvents;
import io.sipai.events.CallAnswered;
import io.sipai.events.CallStarted;
import io.sipai.runtime.admission.AdmissionClient;

/**
 * Starts call sessions for the transports and gives them the shared services: event publisher, admission client,
 * registry of live calls, meters and the pipeline factory.
 */
public final class CallSessionFactory {

    private final EdgeSettings settings;
    private final CallEventPublisher publisher;
    private final AdmissionClient admission;
    private final CallRegistry registry;
    private final EdgeMetrics metrics;
    private final VoicePipelineFactory pipelines;

    public CallSessionFactory(EdgeSettings settings, CallEventPublisher publisher, AdmissionClient admission,
                              CallRegistry registry, EdgeMetrics metrics, VoicePipelineFactory pipelines) {
        this.settings = settings;
        this.publisher = publisher;
        this.admission = admission;
        this.registry = registry;
        this.metrics = metrics;
        this.pipelines = pipelines;
    }

    /**
     * Starts the session of a connected, authenticated and admitted call: registers it, writes CallStarted (and
     * CallAnswered for an inbound call) and creates its pipeline.
     *
     * @param inFormat  encoding of the caller audio the transport receives
     * @param sequenced whether the transport numbers its audio messages (enables the jitter buffer)
     * @param slotHeld  whether the call holds an admission slot this node must heartbeat and release
     * @throws IllegalStateException when the call is already live on this node
     */
    public CallSession start(CallContext context, MediaTransport transport, AudioFormat inFormat, boolean sequenced,
                             boolean slotHeld) {
        CallSession session = new CallSession(context, transport, inFormat, sequenced, slotHeld, this);
        if (!registry.add(session)) {
            throw new IllegalStateException("call " + context.callId() + " is already connected");
        }
        emit(context, CallStarted.newBuilder().setDirection(context.direction()).setFrom(context.from())
                .setTo(context.to()).setTransport(context.transport()).setEdgeNode(settings.nodeName()).build());
        if (context.direction() == CallDirection.INBOUND) {
            // The agent picks up an inbound call as its media connects; an outbound call is answered by the
            // called party, which the provider's status callback reports through api-gateway.
            emit(context, CallAnswered.newBuilder().build());
        }
        session.attach(pipelines.create(context, session.output()));
        return session;
    }

    /** Writes an ordinary event of the call; never blocks. */
    public void emit(CallContext context, Object payload) {
        publisher.publish(CallEvents.envelope(context.ref(), payload, Instant.now()));
    }

    /**
     * Writes an event that another service's events depend on, completing once the broker acknowledged it: the
     * caller causes those events only then, so the log holds the cause first (causal order, docs/events.md).
     */
    public CompletableFuture<Void> emitAcknowledged(CallContext context, Object payload) {
        return publisher.publishAcknowledged(CallEvents.envelope(context.ref(), payload, Instant.now()));
    }

    /** Whether a session for the call is already live here. */
    public boolean live(String callId) {
        return registry.contains(callId);
    }

    EdgeSettings settings() {
        return settings;
    }

    CallEventPublisher publisher() {
        return publisher;
    }

    AdmissionClient admission() {
        return admission;
    }

    CallRegistry registry() {
        return registry;
    }

    EdgeMetrics metrics() {
        return metrics;
    }
}
