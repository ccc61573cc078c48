package io.sipai.bench.voice;

import java.io.InputStream;
import java.util.List;
import java.util.Locale;

import io.sipai.edge.tts.MaryEngine;
import org.HdrHistogram.Histogram;

/**
 * Time to the first audio of the offline text-to-speech candidates, one sentence at a time as the pipeline asks for
 * them: MaryTTS in process (the edge's default; it returns a sentence's audio whole, so its first audio is the whole
 * synthesis) and Debian's flite as a process per sentence ({@code flite -t text -o /dev/stdout}, first bytes of its
 * WAV), when {@code flite} is on the PATH. Args: rounds (default 20), after one unmeasured round.
 */
public final class OfflineTtsBenchmark {

    private static final List<String> SENTENCES = List.of("Sure.", "What day and time would suit you?",
            "So tomorrow at ten. Shall I book it?", "You are booked for tomorrow at ten.",
            "Your reference is A twelve. Goodbye.", "Hello, this is the clinic. How can I help you?");

    private OfflineTtsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (MaryEngine mary = new MaryEngine(1)) {
            Histogram maryFirst = new Histogram(3);
            for (int round = -1; round < rounds; round++) {
                for (String sentence : SENTENCES) {
                    long start = System.nanoTime();
                    mary.synthesize(sentence, null);
                    if (round >= 0) {
                        maryFirst.recordValue((System.nanoTime() - start) / 1000);
                    }
                }
            }
            CallBench.print("MaryTTS first audio (whole sentence)", maryFirst);
        }
        Histogram fliteFirst = new Histogram(3);
        Histogram fliteWhole = new Histogram(3);
        try {
            for (int round = -1; round < rounds; round++) {
                for (String sentence : SENTENCES) {
                    long start = System.nanoTime();
                    Process flite = new ProcessBuilder("flite", "-t", sentence, "-o", "/dev/stdout").start();
                    try (InputStream wav = flite.getInputStream()) {
                        // The 44-byte RIFF header comes with the first samples.
                        wav.readNBytes(64);
                        long first = System.nanoTime();
                        wav.readAllBytes();
                        flite.waitFor();
                        if (round >= 0) {
                            fliteFirst.recordValue((first - start) / 1000);
                            fliteWhole.recordValue((System.nanoTime() - start) / 1000);
                        }
                    }
                }
            }
            CallBench.print("flite first audio (process per sentence)", fliteFirst);
            CallBench.print("flite whole sentence", fliteWhole);
        } catch (java.io.IOException e) {
            System.out.printf(Locale.ROOT, "flite not measured: %s%n", e.getMessage());
        }
    }
}
