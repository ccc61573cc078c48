package io.sipai.edge.session.internal;

import io.sipai.common.EndReason;
import io.sipai.edge.codec.AudioFormat;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.CallSession;
import io.sipai.edge.session.MediaTransport;
import io.sipai.edge.session.SessionOutput;
import io.sipai.edge.session.VoicePipeline;
import io.sipai.events.DtmfReceived;

/**
 * One live call on this edge node, between a {@link MediaTransport} (the WebSocket) and a {@link VoicePipeline}:
 * its caller audio ({@link InboundAudio}), the pipeline's output ({@link OutboundAudio}) and its start-to-end life
 * ({@link CallLifecycle}). Threading as {@link CallSession} says.
 */
final class LiveCall implements CallSession {

    private final CallContext context;
    private final SessionServices services;
    private final CallLifecycle lifecycle;
    private final InboundAudio inbound;
    private final OutboundAudio outbound;

    LiveCall(CallContext context, MediaTransport transport, AudioFormat inFormat, boolean sequenced,
             boolean slotHeld, SessionServices services) {
        this.context = context;
        this.services = services;
        this.lifecycle = new CallLifecycle(context, transport, slotHeld, services);
        this.inbound = new InboundAudio(context, inFormat, sequenced, lifecycle, services);
        this.outbound = new OutboundAudio(context, transport, lifecycle, services);
    }

    @Override
    public CallContext context() {
        return context;
    }

    CallLifecycle lifecycle() {
        return lifecycle;
    }

    /** What the call's pipeline talks to. */
    SessionOutput output() {
        return outbound;
    }

    void attach(VoicePipeline pipeline) {
        lifecycle.attach(pipeline);
    }

    @Override
    public void audioIn(long sequence, byte[] data, int length, long receivedNanos) {
        inbound.audioIn(sequence, data, length, receivedNanos);
    }

    @Override
    public void dtmf(String digits, Integer durationMs) {
        services.emit(context, DtmfReceived.newBuilder().setDigits(digits).setDurationMs(durationMs).build());
        lifecycle.guard(pipeline -> pipeline.onDtmf(digits));
    }

    @Override
    public void text(String text) {
        lifecycle.guard(pipeline -> pipeline.onText(text));
    }

    @Override
    public void markPlayed(String name) {
        lifecycle.guard(pipeline -> pipeline.onMarkPlayed(name));
    }

    @Override
    public void end(EndReason reason, String detail) {
        lifecycle.end(reason, detail);
    }

    @Override
    public void endAndClose(EndReason reason, String detail, int closeCode, String closeReason) {
        lifecycle.endAndClose(reason, detail, closeCode, closeReason);
    }
}
