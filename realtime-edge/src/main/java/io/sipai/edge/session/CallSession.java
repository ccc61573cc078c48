package io.sipai.edge.session;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.sipai.common.EndReason;
import io.sipai.edge.EdgeSettings;
import io.sipai.edge.codec.AudioFormat;
import io.sipai.edge.codec.MuLaw;
import io.sipai.edge.codec.Pcm16;
import io.sipai.edge.codec.Resampler;
import io.sipai.edge.events.CallEvents;
import io.sipai.edge.session.internal.Framer;
import io.sipai.edge.session.internal.JitterBuffer;
import io.sipai.edge.vad.EnergyVad;
import io.sipai.events.CallEnded;
import io.sipai.events.DtmfReceived;
import io.sipai.events.UserSpeechStarted;
import io.sipai.schemas.telephony.TransferTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live call on this edge node, between a {@link MediaTransport} (the WebSocket) and a {@link VoicePipeline}.
 * Inbound audio is reordered by sequence number, decoded, resampled to PCM16 16 kHz, cut into 20 ms frames, passed
 * through the voice activity detector and handed to the pipeline; outbound audio from the pipeline is resampled and
 * encoded for the transport. All buffers are allocated once per call. Inbound methods are called from the
 * connection's receiving thread, one at a time; {@link #end} may be called from any thread and runs once.
 */
public final class CallSession {

    /** Samples in one 20 ms frame at 16 kHz. */
    public static final int FRAME_SAMPLES = 320;
    /** Duration of one pipeline frame. */
    public static final int FRAME_MS = 20;

    private static final Logger LOG = LoggerFactory.getLogger(CallSession.class);
    private static final int CHUNK_SAMPLES = 960;
    /** A transfer fails this long after the provider clients' own timeout (EDGE_TRANSFER_TIMEOUT_MS) at the latest. */
    private static final long TRANSFER_TIMEOUT_SLACK_MS = 1000;

    private final CallContext context;
    private final MediaTransport transport;
    private final CallSessionFactory services;
    private final AudioFormat inFormat;
    private final JitterBuffer jitter;
    private final Resampler inResampler;
    private final short[] decoded = new short[CHUNK_SAMPLES];
    private final short[] resampled;
    private final Framer framer = new Framer(FRAME_SAMPLES);
    private final EnergyVad vad;
    private final Outbound outbound;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final long startedNanos = System.nanoTime();
    private final boolean slotHeld;
    private volatile VoicePipeline pipeline;
    private volatile TransferTarget transferringTo;
    private long framesIn;
    private long firstAudioNanos;
    private long receivedMs;
    private int turn;

    CallSession(CallContext context, MediaTransport transport, AudioFormat inFormat, boolean sequenced,
                boolean slotHeld, CallSessionFactory services) {
        this.context = context;
        this.transport = transport;
        this.services = services;
        this.inFormat = inFormat;
        this.slotHeld = slotHeld;
        EdgeSettings settings = services.settings();
        this.jitter = sequenced ? new JitterBuffer(settings.jitterSlots(), inFormat.bytesFor(60)) : null;
        this.inResampler = new Resampler(inFormat.sampleRate(), AudioFormat.PCM16_16K.sampleRate());
        this.resampled = new short[inResampler.maxOutput(CHUNK_SAMPLES)];
        double threshold = context.agent() != null ? context.agent().getEndpointing().getVadThresholdDb()
                : settings.vadThresholdDb();
        int hangover = context.agent() != null ? context.agent().getEndpointing().getSilenceMs()
                : settings.vadHangoverMs();
        this.vad = new EnergyVad(threshold, settings.vadStartMs(), hangover, FRAME_MS);
        this.outbound = new Outbound(transport.outboundFormat(), CHUNK_SAMPLES);
    }

    public CallContext context() {
        return context;
    }

    /** Whether this edge heartbeats an admission slot for the call. */
    public boolean holdsSlot() {
        return slotHeld;
    }

    public boolean ended() {
        return ended.get();
    }

    void attach(VoicePipeline created) {
        this.pipeline = created;
    }

    /**
     * Caller audio in the transport's encoding.
     *
     * @param sequence      transport sequence number for reordering, or -1 when the transport has none
     * @param receivedNanos {@link System#nanoTime()} when the message arrived, for the handling-time metric
     */
    public void audioIn(long sequence, byte[] data, int length, long receivedNanos) {
        if (ended.get() || throttled(length, receivedNanos)) {
            return;
        }
        if (jitter != null && sequence >= 0) {
            jitter.offer(sequence, data, length, this::decodeAndFrame);
        } else {
            decodeAndFrame(data, length);
        }
        services.metrics().frameHandling().record(System.nanoTime() - receivedNanos,
                java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The caller pressed digits. */
    public void dtmf(String digits, Integer durationMs) {
        services.emit(context, DtmfReceived.newBuilder().setDigits(digits).setDurationMs(durationMs).build());
        guard(() -> pipeline.onDtmf(digits));
    }

    /** The caller typed text. */
    public void text(String text) {
        guard(() -> pipeline.onText(text));
    }

    /** The client acknowledged a mark. */
    public void markPlayed(String name) {
        guard(() -> pipeline.onMarkPlayed(name));
    }

    /**
     * Ends the call once: closes the pipeline, writes CallEnded, releases the slot. Does not close the socket. While
     * a transfer is under way, the provider ending the stream (a CALLER_HANGUP) is the transfer completing.
     */
    public void end(EndReason reason, String detail) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        TransferTarget transfer = transferringTo;
        if (reason == EndReason.CALLER_HANGUP && transfer != null) {
            reason = EndReason.TRANSFERRED;
            detail = "transferred to " + transfer.uri() + (detail == null ? "" : "; " + detail);
        }
        services.registry().remove(this);
        VoicePipeline current = pipeline;
        if (current != null) {
            try {
                current.close(reason);
            } catch (RuntimeException e) {
                LOG.warn("pipeline of call {} failed to close: {}", context.callId(), e.toString());
            }
        }
        long durationMs = (System.nanoTime() - startedNanos) / 1_000_000;
        services.publisher().publishTerminal(CallEvents.envelope(context.ref(), CallEnded.newBuilder().setReason(reason)
                .setDetail(detail).setDurationMs(durationMs).build(), Instant.now()));
        if (slotHeld) {
            services.admission().release(context.slot(), reason.name());
        }
        LOG.info("call {} ended: {}{}", context.callId(), reason, detail == null ? "" : " (" + detail + ")");
    }

    /** Ends the call and closes the connection. */
    public void endAndClose(EndReason reason, String detail, int closeCode, String closeReason) {
        end(reason, detail);
        transport.close(closeCode, closeReason);
    }

    SessionOutput output() {
        return outbound;
    }

    private boolean throttled(int length, long now) {
        int chunkMs = length / inFormat.bytesFor(1);
        if (firstAudioNanos == 0) {
            firstAudioNanos = now;
        }
        long elapsedMs = (now - firstAudioNanos) / 1_000_000;
        if (receivedMs + chunkMs - elapsedMs > services.settings().inboundBurstMs()) {
            services.metrics().throttledFrames().increment();
            return true;
        }
        receivedMs += chunkMs;
        return false;
    }

    private void decodeAndFrame(byte[] data, int length) {
        int bytesPerSample = inFormat.encoding().bytesPerSample();
        int offset = 0;
        while (offset < length) {
            int samples = Math.min(CHUNK_SAMPLES, (length - offset) / bytesPerSample);
            if (samples == 0) {
                return;
            }
            if (inFormat.encoding() == AudioFormat.Encoding.MULAW) {
                for (int i = 0; i < samples; i++) {
                    decoded[i] = MuLaw.decode(data[offset + i]);
                }
            } else {
                Pcm16.toSamples(data, offset, samples * 2, decoded);
            }
            offset += samples * bytesPerSample;
            int n = inResampler.resample(decoded, samples, resampled);
            framer.add(resampled, n, this::onFrame);
        }
    }

    private void onFrame(short[] frame, int length) {
        long offsetMs = framesIn * FRAME_MS;
        framesIn++;
        EnergyVad.Transition transition = vad.accept(frame, length);
        VoicePipeline current = pipeline;
        if (current == null) {
            return;
        }
        if (transition == EnergyVad.Transition.SPEECH_STARTED) {
            turn++;
            services.emit(context, UserSpeechStarted.newBuilder().setAudioOffsetMs(offsetMs).setTurn(turn).build());
            guard(() -> current.onSpeechStarted(offsetMs));
        } else if (transition == EnergyVad.Transition.SPEECH_ENDED) {
            guard(() -> current.onSpeechEnded(offsetMs));
        }
        try {
            current.onAudio(frame, length, offsetMs);
        } catch (RuntimeException e) {
            pipelineFailed(e);
        }
    }

    private void guard(Runnable call) {
        if (pipeline == null || ended.get()) {
            return;
        }
        try {
            call.run();
        } catch (RuntimeException e) {
            pipelineFailed(e);
        }
    }

    private void pipelineFailed(RuntimeException e) {
        LOG.error("pipeline of call {} failed", context.callId(), e);
        endAndClose(EndReason.ERROR, "pipeline failed: " + e.getClass().getSimpleName(), 1011, "internal error");
    }

    /** The pipeline's side: converts PCM16 16 kHz to the transport's format. */
    private final class Outbound implements SessionOutput {

        private final AudioFormat format;
        private final Resampler resampler;
        private final short[] converted;
        private final byte[] encoded;
        private final int chunk;

        Outbound(AudioFormat format, int chunk) {
            this.format = format;
            this.chunk = chunk;
            this.resampler = new Resampler(AudioFormat.PCM16_16K.sampleRate(), format.sampleRate());
            this.converted = new short[resampler.maxOutput(chunk)];
            this.encoded = new byte[converted.length * format.encoding().bytesPerSample()];
        }

        @Override
        public synchronized void sendAudio(short[] pcm16k, int length) {
            if (ended.get()) {
                return;
            }
            for (int offset = 0; offset < length; offset += chunk) {
                int take = Math.min(chunk, length - offset);
                short[] source = pcm16k;
                if (offset > 0) {
                    System.arraycopy(pcm16k, offset, decodedOut(), 0, take);
                    source = decodedOut();
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

        private short[] scratch;

        private short[] decodedOut() {
            if (scratch == null) {
                scratch = new short[chunk];
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
        public CompletableFuture<MediaTransport.Transferred> transfer(TransferTarget target) {
            if (ended.get()) {
                return CompletableFuture.failedFuture(new IllegalStateException("the call already ended"));
            }
            // Set before the request: the provider may end the stream before its REST answer arrives.
            transferringTo = target;
            return transport.transfer(target).orTimeout(services.settings().transferTimeoutMs()
                            + TRANSFER_TIMEOUT_SLACK_MS, TimeUnit.MILLISECONDS)
                    .whenComplete((how, error) -> {
                        if (error != null) {
                            transferringTo = null;
                        }
                    });
        }

        @Override
        public void hangup(EndReason reason, String detail) {
            endAndClose(reason, detail, 1000, "call ended");
        }
    }
}
