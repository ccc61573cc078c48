package io.sipai.edge.tts;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.sound.sampled.AudioInputStream;

import io.sipai.edge.codec.Resampler;
import marytts.LocalMaryInterface;
import marytts.MaryInterface;
import marytts.exceptions.MaryConfigurationException;
import marytts.exceptions.SynthesisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline text-to-speech: MaryTTS 5.2.1 in-process (about 64 MB of heap for the engine and the cmu-slt-hsmm
 * voice). Synthesis is CPU-bound, so it runs on a fixed pool of {@code workers} threads shared by every call; each
 * call's sentences are synthesized one after another, in order. The 48 kHz output is decimated to 16 kHz. The
 * engine starts once (about 4 s), on first use or from {@link #warmUp}.
 */
public final class MaryEngine implements TextToSpeech, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MaryEngine.class);

    private static final int CHUNK = 1600;

    private final ExecutorService workers;
    private volatile MaryInterface mary;
    private volatile boolean started;

    public MaryEngine(int workers) {
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workers, r -> Thread.ofPlatform().daemon()
                .name("marytts-" + n.incrementAndGet()).unstarted(r));
    }

    @Override
    public String name() {
        return "marytts";
    }

    /**
     * Starts the engine in the background so the first call does not wait for it; {@link #started()} tells when it
     * is up. A failure (also a missing class on a broken classpath) is logged once and reported as not started.
     */
    public void warmUp() {
        workers.execute(() -> {
            try {
                MaryInterface engine = engine();
                synchronized (engine) {
                    engine.generateAudio("Ready.").close();
                }
                started = true;
            } catch (Exception | LinkageError e) {
                LOG.error("offline text-to-speech (MaryTTS) failed to start: {}", e.toString(), e);
            }
        });
    }

    /** Whether a {@link #warmUp} finished and the engine synthesizes. */
    public boolean started() {
        return started;
    }

    /** Synthesizes a whole text to PCM16 16 kHz (for tests and tools). */
    public short[] synthesize(String text, String voice) throws MaryConfigurationException, SynthesisException,
            IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        generate(text, voice, (pcm, n) -> {
            for (int i = 0; i < n; i++) {
                out.write(pcm[i] & 0xff);
                out.write(pcm[i] >> 8 & 0xff);
            }
        }, () -> false);
        byte[] bytes = out.toByteArray();
        short[] samples = new short[bytes.length / 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) ((bytes[2 * i] & 0xff) | bytes[2 * i + 1] << 8);
        }
        return samples;
    }

    @Override
    public Stream open(String callId, String voice, AudioListener listener) {
        return new SentenceQueue(workers, name(), listener, (text, sink, cancelled) -> generate(text, voice,
                sink, cancelled));
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    private synchronized MaryInterface engine() throws MaryConfigurationException {
        if (mary == null) {
            mary = new LocalMaryInterface();
        }
        return mary;
    }

    private void generate(String text, String voice, SentenceQueue.Sink sink, BooleanSupplier cancelled)
            throws MaryConfigurationException, SynthesisException, IOException {
        MaryInterface engine = engine();
        AudioInputStream audio;
        synchronized (engine) {
            Set<String> voices = engine.getAvailableVoices();
            if (voice != null && voices.contains(voice)) {
                engine.setVoice(voice);
            }
            audio = engine.generateAudio(text);
        }
        int rate = (int) audio.getFormat().getSampleRate();
        boolean bigEndian = audio.getFormat().isBigEndian();
        Resampler resampler = rate == 48_000 ? null : new Resampler(rate, 16_000);
        byte[] bytes = new byte[CHUNK * 6];
        short[] in = new short[CHUNK * 3];
        short[] out = new short[Math.max(CHUNK + 2, resampler == null ? 0 : resampler.maxOutput(in.length))];
        int carry = 0;
        int read;
        // generateAudio's stream hands back less than asked on each read; loop until its end.
        while ((read = audio.read(bytes, carry, bytes.length - carry)) != -1) {
            if (cancelled.getAsBoolean()) {
                return;
            }
            int total = carry + read;
            int count = total / 2;
            for (int i = 0; i < count; i++) {
                int lo = bytes[2 * i + (bigEndian ? 1 : 0)] & 0xff;
                int hi = bytes[2 * i + (bigEndian ? 0 : 1)];
                in[i] = (short) (hi << 8 | lo);
            }
            carry = total - count * 2;
            if (carry > 0) {
                bytes[0] = bytes[count * 2];
            }
            int usable = resampler != null ? count : count - count % 3;
            int n = resampler != null ? resampler.resample(in, usable, out) : decimate(in, usable, out);
            if (resampler == null && usable < count) {
                // Keep the samples of an incomplete group of three for the next read.
                int rest = count - usable;
                for (int i = 0; i < rest; i++) {
                    bytes[2 * i] = (byte) in[usable + i];
                    bytes[2 * i + 1] = (byte) (in[usable + i] >> 8);
                }
                if (carry > 0) {
                    bytes[rest * 2] = bytes[count * 2];
                }
                carry += rest * 2;
            }
            sink.accept(out, n);
        }
    }

    /** 48 kHz to 16 kHz: averages each group of three samples, a cheap low-pass against aliasing. */
    private static int decimate(short[] in, int count, short[] out) {
        int n = count / 3;
        for (int i = 0; i < n; i++) {
            out[i] = (short) ((in[3 * i] + in[3 * i + 1] + in[3 * i + 2]) / 3);
        }
        return n;
    }
}
