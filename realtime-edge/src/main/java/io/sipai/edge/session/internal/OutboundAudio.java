package io.sipai.edge.session.internal;

import java.util.concurrent.CompletableFuture;

import io.sipai.common.EndReason;
import io.sipai.edge.codec.AudioFormat;
import io.sipai.edge.codec.MuLaw;
import io.sipai.edge.codec.Pcm16;
import io.sipai.edge.codec.Resampler;
import io.sipai.edge.recording.CallRecorder;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.MediaTransport;
import io.sipai.edge.session.SessionOutput;
import io.sipai.edge.session.TurnTimes;
import io.sipai.edge.wire.CloseCodes;
import io.sipai.schemas.telephony.TransferTarget;

/**
 * The pipeline's side of one call: agent audio (PCM16 16 kHz) is resampled and encoded into the transport's format
 * in buffers allocated once per call; marks, clears and texts go to the transport as they are; events get the
 * call's envelope; transfers and hang-ups go through the call's {@link CallLifecycle}. Safe from any thread.
 */
final class OutboundAudio implements SessionOutput {

    private static final int CHUNK_SAMPLES = 960;

    private final CallContext context;
    private final MediaTransport transport;
    private final CallLifecycle lifecycle;
    private final SessionServices services;
    private final AudioFormat format;
    private final Resampler resampler;
    private final short[] converted;
    private final byte[] encoded;
    private short[] scratch;

    OutboundAudio(CallContext context, MediaTransport transport, CallLifecycle lifecycle, SessionServices services) {
        this.context = context;
        this.transport = transport;
        this.lifecycle = lifecycle;
        this.services = services;
        this.format = transport.outboundFormat();
        this.resampler = new Resampler(AudioFormat.PCM16_16K.sampleRate(), format.sampleRate());
        this.converted = new short[resampler.maxOutput(CHUNK_SAMPLES)];
        this.encoded = new byte[converted.length * format.encoding().bytesPerSample()];
    }

    @Override
    public synchronized void sendAudio(short[] pcm16k, int length) {
        if (lifecycle.ended()) {
            return;
        }
        CallRecorder recorder = lifecycle.recorder();
        if (recorder != null) {
            recorder.agent(pcm16k, length);
        }
        for (int offset = 0; offset < length; offset += CHUNK_SAMPLES) {
            int take = Math.min(CHUNK_SAMPLES, length - offset);
            short[] source = pcm16k;
            if (offset > 0) {
                System.arraycopy(pcm16k, offset, scratch(), 0, take);
                source = scratch();
            }
            int n = resampler.resample(source, take, converted);
            int bytes;
            if (format.encoding() == AudioFormat.Encoding.MULAW) {
                MuLaw.encode(converted, n, encoded);
                bytes = n;
            } else {
                bytes = Pcm16.toBytes(converted, n, encoded);
            }
            transport.sendAudio(encoded, bytes);
        }
    }

    /** Only replies longer than one chunk need it, so most calls never allocate it. */
    private short[] scratch() {
        if (scratch == null) {
            scratch = new short[CHUNK_SAMPLES];
        }
        return scratch;
    }

    @Override
    public void mark(String name) {
        transport.sendMark(name);
    }

    @Override
    public void clear() {
        transport.sendClear();
        CallRecorder recorder = lifecycle.recorder();
        if (recorder != null) {
            recorder.clear();
        }
    }

    @Override
    public void transcript(String text, boolean isFinal) {
        transport.sendTranscript(text, isFinal);
    }

    @Override
    public void agentText(String text) {
        transport.sendAgentText(text);
    }

    @Override
    public void emit(Object payload) {
        services.emit(context, payload);
    }

    @Override
    public void traceTurn(TurnTimes times) {
        services.traces().turn(context.callId(), times);
    }

    @Override
    public CompletableFuture<MediaTransport.Transferred> transfer(TransferTarget target) {
        return lifecycle.transfer(target);
    }

    @Override
    public void hangup(EndReason reason, String detail) {
        lifecycle.endAndClose(reason, detail, CloseCodes.NORMAL, "call ended");
    }
}
