package io.sipai.bench.voice;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.sipai.edge.asr.internal.JsgfGrammar;
import io.sipai.edge.asr.internal.SphinxEngine;
import io.sipai.edge.asr.internal.SphinxStream;
import io.sipai.edge.brain.Script;
import io.sipai.edge.tts.FliteEngine;
import io.sipai.edge.tts.TextToSpeech;

/**
 * Decoding CPU and transcripts of the offline recognizer (the engine's own decode path: Sphinx4 in grammar mode)
 * per search beam: phrases of the booking agent's grammar ({@link OfflineCallBenchmark#SCRIPT}) spoken by flite's
 * four voices through the edge's flite engine, clean and with hiss, each decoded on one thread whose CPU time is measured. Usage: {@code [relative
 * beam ...]} (default: Sphinx's 1e-60, the engine's, then 1e-60 again, since the first beam also warms the JIT).
 * Needs {@code flite} on the PATH.
 */
public final class SphinxBeamBenchmark {

    private static final List<String> PHRASES = List.of("i would like to book an appointment", "friday at eleven",
            "tomorrow at ten", "yes", "goodbye", "monday at nine", "today at noon", "yeah");
    private static final List<String> VOICES = List.of("kal16", "slt", "rms", "awb");

    private SphinxBeamBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> beams = args.length > 0 ? List.of(args)
                : List.of("1e-60", SphinxEngine.relativeBeam(), "1e-60");
        Map<String, byte[]> recordings = recordings();
        String grammar = JsgfGrammar.of(Script.parse(OfflineCallBenchmark.SCRIPT));
        for (String beam : beams) {
            System.out.println(run(beam, SphinxEngine.decoder(grammar, beam), recordings));
        }
    }

    private static String run(String beam, SphinxStream.Decoder decoder, Map<String, byte[]> recordings)
            throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        List<Long> times = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, byte[]> recording : recordings.entrySet()) {
            long before = cpu.getCurrentThreadCpuTime();
            String text = decoder.decode(recording.getValue());
            long ms = (cpu.getCurrentThreadCpuTime() - before) / 1_000_000;
            times.add(ms);
            total += ms;
            String said = recording.getKey().substring(recording.getKey().lastIndexOf('|') + 1);
            if (!text.equals(said)) {
                wrong.add(recording.getKey() + " -> \"" + text + "\"");
            }
        }
        times.sort(null);
        return String.format(Locale.ROOT, "relative beam %s: %d of %d right, decoding CPU %d ms in all, per "
                        + "recording p50 %d ms, max %d ms; wrong: %s", beam, recordings.size() - wrong.size(),
                recordings.size(), total, times.get(times.size() / 2), times.getLast(), wrong);
    }

    /** Each phrase by each voice, clean and with hiss, half a second of silence around it; PCM16LE 16 kHz. */
    private static Map<String, byte[]> recordings() throws Exception {
        Map<String, byte[]> recordings = new LinkedHashMap<>();
        Random random = new Random(7);
        try (FliteEngine flite = FliteEngine.find("flite", 1)
                .orElseThrow(() -> new IllegalStateException("flite is not installed"))) {
            for (String voice : VOICES) {
                for (String phrase : PHRASES) {
                    short[] speech = speak(flite, voice, phrase);
                    recordings.put(voice + "|clean|" + phrase, pcm(speech, 0, random));
                    recordings.put(voice + "|hiss|" + phrase, pcm(speech, 300, random));
                }
            }
        }
        return recordings;
    }

    /** {@code text} in {@code voice} through the edge's own flite engine, as 16 kHz PCM. */
    private static short[] speak(FliteEngine flite, String voice, String text) throws Exception {
        ShortArrayOutput speech = new ShortArrayOutput();
        CompletableFuture<short[]> done = new CompletableFuture<>();
        try (TextToSpeech.Stream stream = flite.open("beam-" + voice, voice, new TextToSpeech.AudioListener() {
            @Override
            public void audio(String sentenceId, short[] pcm16k, int length) {
                speech.write(pcm16k, length);
            }

            @Override
            public void done(String sentenceId) {
                done.complete(speech.toArray());
            }

            @Override
            public void failed(String error) {
                done.completeExceptionally(new IllegalStateException("flite, voice " + voice + ": " + error));
            }
        })) {
            stream.speak(text, text);
            return done.get(60, TimeUnit.SECONDS);
        }
    }

    private static byte[] pcm(short[] speech, double hiss, Random random) {
        int lead = 8_000;
        byte[] out = new byte[(speech.length + 2 * lead) * 2];
        for (int i = 0; i < out.length / 2; i++) {
            double sample = i >= lead && i < lead + speech.length ? speech[i - lead] : 0;
            sample += random.nextGaussian() * hiss;
            short clipped = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sample));
            out[2 * i] = (byte) clipped;
            out[2 * i + 1] = (byte) (clipped >> 8);
        }
        return out;
    }

    /** Audio chunks as they come, joined. */
    private static final class ShortArrayOutput {

        private short[] samples = new short[16_000];
        private int length;

        synchronized void write(short[] chunk, int count) {
            if (length + count > samples.length) {
                samples = Arrays.copyOf(samples, Math.max(2 * samples.length, length + count));
            }
            System.arraycopy(chunk, 0, samples, length, count);
            length += count;
        }

        synchronized short[] toArray() {
            return Arrays.copyOf(samples, length);
        }
    }
}
