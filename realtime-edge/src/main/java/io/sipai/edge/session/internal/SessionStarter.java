package io.sipai.edge.session.internal;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.edge.codec.AudioFormat;
import io.sipai.edge.events.CallEvents;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.CallSession;
import io.sipai.edge.session.CallSessionFactory;
import io.sipai.edge.session.MediaTransport;
import io.sipai.edge.session.VoicePipelineFactory;
import io.sipai.events.CallAnswered;
import io.sipai.events.CallEnded;
import io.sipai.events.CallStarted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the edge's live calls ({@link LiveCall}) with the node's {@link SessionServices} and pipeline factory. */
public final class SessionStarter implements CallSessionFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStarter.class);

    private final SessionServices services;
    private final VoicePipelineFactory pipelines;

    public SessionStarter(SessionServices services, VoicePipelineFactory pipelines) {
        this.services = services;
        this.pipelines = pipelines;
    }

    @Override
    public CallSession start(CallContext context, MediaTransport transport, AudioFormat inFormat, boolean sequenced,
                             boolean slotHeld) {
        LiveCall call = new LiveCall(context, transport, inFormat, sequenced, slotHeld, services);
        if (!services.registry().add(call.lifecycle())) {
            throw new IllegalStateException("call " + context.callId() + " is already connected");
        }
        // Only the call's one live session records it: a duplicate connection was refused above.
        services.recordings().start(context).ifPresent(call.lifecycle()::record);
        services.traces().started(context);
        services.emit(context, CallStarted.newBuilder().setDirection(context.direction()).setFrom(context.from())
                .setTo(context.to()).setTransport(context.transport()).setEdgeNode(services.settings().nodeName())
                .build());
        if (context.direction() == CallDirection.INBOUND) {
            // The agent picks up an inbound call as its media connects; an outbound call is answered by the
            // called party, which the provider's status callback reports through api-gateway.
            services.emit(context, CallAnswered.newBuilder().build());
        }
        if (slotHeld) {
            // Admission counts the slot as held by an edge node (and frees it should this node's heartbeats stop)
            // from the first heartbeat on: send it now, not an interval later.
            services.admission().heartbeat(context.slot());
        }
        call.attach(pipelines.create(context, call.output()));
        return call;
    }

    @Override
    public CompletableFuture<Void> emitAcknowledged(CallContext context, Object payload) {
        return services.publisher().publishAcknowledged(CallEvents.envelope(context.ref(), payload, Instant.now()));
    }

    @Override
    public void abandon(CallContext context, EndReason reason, String detail, long durationMs, boolean releaseSlot) {
        services.publisher().publishTerminal(CallEvents.ended(context.ref(), CallEnded.newBuilder().setReason(reason)
                .setDetail(detail).setDurationMs(durationMs).build(), Instant.now()));
        if (releaseSlot) {
            services.admission().release(context.slot(), reason.name());
        }
        LOG.info("call {} given up before it started: {} ({})", context.callId(), reason, detail);
    }

    @Override
    public boolean live(String callId) {
        return services.registry().contains(callId);
    }
}
