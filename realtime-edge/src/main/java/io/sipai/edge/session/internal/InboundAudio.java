package io.sipai.edge.session.internal;

import java.util.concurrent.TimeUnit;

import io.sipai.edge.EdgeSettings;
import io.sipai.edge.codec.AudioFormat;
import io.sipai.edge.codec.MuLaw;
import io.sipai.edge.codec.Pcm16;
import io.sipai.edge.codec.Resampler;
import io.sipai.edge.recording.CallRecorder;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.VoicePipeline;
import io.sipai.edge.vad.EnergyVad;
import io.sipai.events.UserSpeechStarted;

/**
 * The caller's audio of one call, from the transport to the pipeline: a client sending faster than real time is
 * throttled, audio is reordered by sequence number (when the transport numbers it), decoded, resampled to PCM16
 * 16 kHz, cut into 20 ms frames and passed through the voice activity detector, whose speech starts are written as
 * UserSpeechStarted (one turn each). All buffers are allocated once per call. Called from the connection's
 * receiving thread only, one message at a time.
 */
final class InboundAudio {

    /** Samples in one 20 ms frame at 16 kHz. */
    private static final int FRAME_SAMPLES = 320;
    /** Duration of one pipeline frame. */
    private static final int FRAME_MS = 20;
    private static final int CHUNK_SAMPLES = 960;

    private final CallContext context;
    private final AudioFormat format;
    private final CallLifecycle lifecycle;
    private final SessionServices services;
    private final JitterBuffer jitter;
    private final Resampler resampler;
    private final short[] decoded = new short[CHUNK_SAMPLES];
    private final short[] resampled;
    private final Framer framer = new Framer(FRAME_SAMPLES);
    private final EnergyVad vad;
    private long framesIn;
    private long firstAudioNanos;
    private long receivedMs;
    private int turn;

    /**
     * @param format    encoding of the caller audio the transport receives
     * @param sequenced whether the transport numbers its audio messages (enables the jitter buffer)
     */
    InboundAudio(CallContext context, AudioFormat format, boolean sequenced, CallLifecycle lifecycle,
                 SessionServices services) {
        this.context = context;
        this.format = format;
        this.lifecycle = lifecycle;
        this.services = services;
        EdgeSettings settings = services.settings();
        this.jitter = sequenced ? new JitterBuffer(settings.jitterSlots(), format.bytesFor(60)) : null;
        this.resampler = new Resampler(format.sampleRate(), AudioFormat.PCM16_16K.sampleRate());
        this.resampled = new short[resampler.maxOutput(CHUNK_SAMPLES)];
        double threshold = context.agent() != null ? context.agent().getEndpointing().getVadThresholdDb()
                : settings.vadThresholdDb();
        int hangover = context.agent() != null ? context.agent().getEndpointing().getSilenceMs()
                : settings.vadHangoverMs();
        int pause = context.agent() != null ? context.agent().getEndpointing().getPauseMs()
                : settings.vadPauseMs();
        this.vad = new EnergyVad(threshold, settings.vadStartMs(), pause, hangover, FRAME_MS);
    }

    /** See {@link io.sipai.edge.session.CallSession#audioIn}. */
    void audioIn(long sequence, byte[] data, int length, long receivedNanos) {
        if (lifecycle.ended() || throttled(length, receivedNanos)) {
            return;
        }
        if (jitter != null && sequence >= 0) {
            jitter.offer(sequence, data, length, this::decodeAndFrame);
        } else {
            decodeAndFrame(data, length);
        }
        services.metrics().frameHandling().record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
    }

    /** Whether this chunk would put the client more than EDGE_INBOUND_BURST_MS ahead of real time (then dropped). */
    private boolean throttled(int length, long now) {
        int chunkMs = length / format.bytesFor(1);
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
        int bytesPerSample = format.encoding().bytesPerSample();
        int offset = 0;
        while (offset < length) {
            int samples = Math.min(CHUNK_SAMPLES, (length - offset) / bytesPerSample);
            if (samples == 0) {
                return;
            }
            if (format.encoding() == AudioFormat.Encoding.MULAW) {
                for (int i = 0; i < samples; i++) {
                    decoded[i] = MuLaw.decode(data[offset + i]);
                }
            } else {
                Pcm16.toSamples(data, offset, samples * 2, decoded);
            }
            offset += samples * bytesPerSample;
            int n = resampler.resample(decoded, samples, resampled);
            framer.add(resampled, n, this::onFrame);
        }
    }

    private void onFrame(short[] frame, int length) {
        try {
            handle(frame, length);
        } finally {
            // After the pipeline: audio it answered at once (an echo) lands where the caller's audio was.
            CallRecorder recorder = lifecycle.recorder();
            if (recorder != null) {
                recorder.caller(frame, length);
            }
        }
    }

    private void handle(short[] frame, int length) {
        long offsetMs = framesIn * FRAME_MS;
        framesIn++;
        EnergyVad.Transition transition = vad.accept(frame, length);
        VoicePipeline current = lifecycle.pipeline();
        if (current == null) {
            return;
        }
        if (transition == EnergyVad.Transition.SPEECH_STARTED) {
            turn++;
            services.emit(context, UserSpeechStarted.newBuilder().setAudioOffsetMs(offsetMs).setTurn(turn).build());
            lifecycle.guard(pipeline -> pipeline.onSpeechStarted(offsetMs));
        } else if (transition == EnergyVad.Transition.SPEECH_PAUSED) {
            lifecycle.guard(pipeline -> pipeline.onSpeechPaused(offsetMs));
        } else if (transition == EnergyVad.Transition.SPEECH_ENDED) {
            lifecycle.guard(pipeline -> pipeline.onSpeechEnded(offsetMs));
        }
        try {
            current.onAudio(frame, length, offsetMs);
        } catch (RuntimeException e) {
            lifecycle.pipelineFailed(e);
        }
    }
}
