package io.sipai.bench.voice;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.sipai.edge.tts.FliteEngine;
import io.sipai.edge.tts.MaryEngine;
import io.sipai.edge.tts.TextToSpeech;
import org.HdrHistogram.Histogram;

/**
 * Time to the first audio of the edge's offline text-to-speech engines, one sentence at a time as the pipeline asks
 * for them, through the same {@link TextToSpeech.Stream} a call uses: MaryTTS in process (it returns a sentence's
 * audio as its vocoder produces it) and flite ({@link FliteEngine}: a process per sentence, its audio whole; voices
 * kal16 and slt), when {@code flite} is on the PATH. Args: rounds (default 20), after one unmeasured round.
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
            measure("MaryTTS 5.2 (in process)", mary, null, rounds);
        }
        Optional<FliteEngine> flite = FliteEngine.find("flite", 2);
        if (flite.isEmpty()) {
            System.out.printf(Locale.ROOT, "flite not measured: not installed%n");
            return;
        }
        try (FliteEngine engine = flite.get()) {
            for (String voice : List.of("kal16", "slt")) {
                measure("flite 2.2 (a process per sentence, voice " + voice + ")", engine, voice, rounds);
            }
        }
    }

    private static void measure(String label, TextToSpeech engine, String voice, int rounds) throws Exception {
        Histogram first = new Histogram(3);
        Histogram whole = new Histogram(3);
        for (int round = -1; round < rounds; round++) {
            for (String sentence : SENTENCES) {
                CompletableFuture<Long> firstAudio = new CompletableFuture<>();
                CompletableFuture<Long> done = new CompletableFuture<>();
                long start = System.nanoTime();
                try (TextToSpeech.Stream stream = engine.open("bench", voice, new TextToSpeech.AudioListener() {
                    @Override
                    public void audio(String sentenceId, short[] pcm16k, int length) {
                        firstAudio.complete(System.nanoTime());
                    }

                    @Override
                    public void done(String sentenceId) {
                        done.complete(System.nanoTime());
                    }

                    @Override
                    public void failed(String error) {
                        done.completeExceptionally(new IllegalStateException(error));
                    }
                })) {
                    stream.speak("s", sentence);
                    long end = done.get(30, TimeUnit.SECONDS);
                    if (round >= 0) {
                        first.recordValue((firstAudio.get() - start) / 1000);
                        whole.recordValue((end - start) / 1000);
                    }
                }
            }
        }
        CallBench.print(label + " first audio", first);
        CallBench.print(label + " whole sentence", whole);
    }
}
