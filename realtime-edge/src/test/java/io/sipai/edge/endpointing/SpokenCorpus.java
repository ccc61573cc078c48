package io.sipai.edge.endpointing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sipai.edge.tts.FliteEngine;
import io.sipai.edge.tts.TextToSpeech;

/**
 * The evaluation set of {@link EndOfTurnEvaluationTest} as audio: each labelled utterance of
 * {@code endpointing/utterances.tsv} spoken by flite (voices taken in turn), its segments joined by their pauses,
 * normalized to a speaking level, after a lead-in and before a tail of silence, and mixed with a line noise.
 */
final class SpokenCorpus {

    /** What a case is said for. */
    enum Kind { COMPLETE, CONTINUED, BACKCHANNEL, BARGE_IN }

    /** The line the caller is on. */
    enum Noise {
        /** A clean digital line: faint hiss. */
        QUIET,
        /** An analogue line: hiss and mains hum near the speech threshold. */
        LINE,
        /** Other people talking in the background, a few dB under the speech threshold. */
        BABBLE
    }

    /** One labelled utterance: its segments' texts and the pauses between them. */
    record Utterance(Kind kind, List<String> segments, List<Integer> pausesMs) {
    }

    /**
     * One case as audio: 16 kHz PCM16, and where each segment's speech starts and ends (ms from the start).
     */
    record Spoken(Utterance utterance, Noise noise, short[] pcm, long[] segmentStartMs, long[] segmentEndMs) {

        long speechStartMs() {
            return segmentStartMs[0];
        }

        long speechEndMs() {
            return segmentEndMs[segmentEndMs.length - 1];
        }

        long lastSegmentStartMs() {
            return segmentStartMs[segmentStartMs.length - 1];
        }
    }

    static final int RATE = 16;
    private static final int LEAD_MS = 400;
    private static final int TAIL_MS = 1500;
    private static final double SPEECH_DBFS = -20;
    private static final List<String> VOICES = List.of("kal16", "slt", "rms", "awb");

    private SpokenCorpus() {
    }

    static List<Utterance> load() throws IOException {
        List<Utterance> utterances = new ArrayList<>();
        try (InputStream in = SpokenCorpus.class.getResourceAsStream("/endpointing/utterances.tsv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                String[] parts = columns[1].split("\\|");
                List<String> segments = new ArrayList<>();
                List<Integer> pauses = new ArrayList<>();
                for (int i = 0; i < parts.length; i++) {
                    if (i % 2 == 0) {
                        segments.add(parts[i].strip());
                    } else {
                        pauses.add(Integer.parseInt(parts[i].strip()));
                    }
                }
                utterances.add(new Utterance(Kind.valueOf(columns[0]), segments, pauses));
            }
        }
        return utterances;
    }

    /** Every utterance on every line, spoken by {@code flite}. */
    static List<Spoken> speak(List<Utterance> utterances, FliteEngine flite) throws InterruptedException {
        Map<String, short[]> speech = synthesize(utterances, flite);
        short[] babble = babble(speech);
        Random random = new Random(20_261_206L);
        List<Spoken> cases = new ArrayList<>();
        for (Noise noise : Noise.values()) {
            for (int i = 0; i < utterances.size(); i++) {
                cases.add(join(utterances.get(i), VOICES.get(i % VOICES.size()), speech, noise, babble, random));
            }
        }
        return cases;
    }

    private static Map<String, short[]> synthesize(List<Utterance> utterances, FliteEngine flite)
            throws InterruptedException {
        Map<String, List<short[]>> chunks = new ConcurrentHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        for (int i = 0; i < utterances.size(); i++) {
            String voice = VOICES.get(i % VOICES.size());
            utterances.get(i).segments().forEach(segment -> texts.put(voice + ":" + segment, segment));
        }
        CountDownLatch done = new CountDownLatch(texts.size());
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<String, TextToSpeech.Stream> streams = new LinkedHashMap<>();
        TextToSpeech.AudioListener listener = new TextToSpeech.AudioListener() {
            @Override
            public void audio(String id, short[] pcm16k, int length) {
                chunks.computeIfAbsent(id, key -> new ArrayList<>()).add(Arrays.copyOf(pcm16k, length));
            }

            @Override
            public void done(String id) {
                done.countDown();
            }

            @Override
            public void failed(String error) {
                failures.add(error);
                done.countDown();
            }
        };
        texts.forEach((id, text) -> streams.computeIfAbsent(id.substring(0, id.indexOf(':')),
                voice -> flite.open("eval-" + voice, voice, listener)).speak(id, text));
        boolean finished = done.await(120, TimeUnit.SECONDS);
        streams.values().forEach(TextToSpeech.Stream::close);
        if (!finished || !failures.isEmpty()) {
            throw new IllegalStateException("flite did not speak the set: " + failures);
        }
        Map<String, short[]> speech = new LinkedHashMap<>();
        chunks.forEach((id, parts) -> speech.put(id, normalized(trimmed(concat(parts)))));
        return speech;
    }

    private static Spoken join(Utterance utterance, String voice, Map<String, short[]> speech, Noise noise,
                               short[] babble, Random random) {
        int segments = utterance.segments().size();
        long[] starts = new long[segments];
        long[] ends = new long[segments];
        List<short[]> parts = new ArrayList<>();
        long at = LEAD_MS;
        parts.add(new short[LEAD_MS * RATE]);
        for (int i = 0; i < segments; i++) {
            short[] said = speech.get(voice + ":" + utterance.segments().get(i));
            starts[i] = at;
            at += said.length / RATE;
            ends[i] = at;
            parts.add(said);
            int pause = i < segments - 1 ? utterance.pausesMs().get(i) : TAIL_MS;
            parts.add(new short[pause * RATE]);
            at += pause;
        }
        short[] pcm = concat(parts);
        addNoise(pcm, noise, babble, random);
        return new Spoken(utterance, noise, pcm, starts, ends);
    }

    private static void addNoise(short[] pcm, Noise noise, short[] babble, Random random) {
        double hiss = level(noise == Noise.QUIET ? -70 : noise == Noise.LINE ? -50 : -66);
        double hum = noise == Noise.LINE ? level(-54) * Math.sqrt(2) : 0;
        double background = noise == Noise.BABBLE ? level(-48) / rms(babble) : 0;
        int offset = random.nextInt(babble.length);
        for (int i = 0; i < pcm.length; i++) {
            double sample = pcm[i] + random.nextGaussian() * hiss + hum * Math.sin(2 * Math.PI * 50 * i / 16_000.0)
                    + background * babble[(offset + i) % babble.length];
            pcm[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(sample)));
        }
    }

    /** Three voices talking over each other, from the set's own speech. */
    private static short[] babble(Map<String, short[]> speech) {
        List<short[]> all = new ArrayList<>(speech.values());
        int length = 30 * 1000 * RATE;
        short[] mixed = new short[length];
        for (int talker = 0; talker < 3; talker++) {
            int at = talker * 700 * RATE;
            for (int i = talker; at < length; i += 3) {
                short[] said = all.get(i % all.size());
                for (int j = 0; j < said.length && at + j < length; j++) {
                    mixed[at + j] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE,
                            mixed[at + j] + said[j] / 2));
                }
                at += said.length + 150 * RATE;
            }
        }
        return mixed;
    }

    /** Without the synthesizer's leading and trailing near-silence (quieter than -40 dBFS peaks). */
    private static short[] trimmed(short[] pcm) {
        int first = 0;
        int last = pcm.length;
        while (first < last && Math.abs(pcm[first]) < 330) {
            first++;
        }
        while (last > first && Math.abs(pcm[last - 1]) < 330) {
            last--;
        }
        return Arrays.copyOfRange(pcm, first, last);
    }

    private static short[] normalized(short[] pcm) {
        double gain = level(SPEECH_DBFS) / rms(pcm);
        short[] out = new short[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(pcm[i] * gain)));
        }
        return out;
    }

    private static double rms(short[] pcm) {
        double sum = 0;
        for (short sample : pcm) {
            sum += (double) sample * sample;
        }
        return Math.sqrt(sum / Math.max(1, pcm.length));
    }

    /** The RMS amplitude of a level in dBFS. */
    private static double level(double dbfs) {
        return 32768.0 * Math.pow(10, dbfs / 20);
    }

    private static short[] concat(List<short[]> parts) {
        short[] all = new short[parts.stream().mapToInt(part -> part.length).sum()];
        int at = 0;
        for (short[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
