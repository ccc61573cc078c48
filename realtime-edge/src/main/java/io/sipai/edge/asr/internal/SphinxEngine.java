package io.sipai.edge.asr.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import edu.cmu.sphinx.api.Configuration;
import io.sipai.edge.asr.SpeechToText;
import io.sipai.edge.asr.TranscriptListener;

/**
 * The offline speech-to-text engine: CMU Sphinx4 in grammar mode, in-process. A recognizer holds the acoustic model
 * (about 90 MB of heap), so recognizers are pooled per grammar, at most {@code decoders} each, and shared by every
 * call of the agents with that grammar; utterances queue for a free one. Each decode starts from the recognizer's
 * initial state ({@link TurnRecognizer}), so a turn's transcript depends on its audio alone, not on which recognizer
 * decoded it or what that one heard before. Decoding runs when the pipeline declares the end of a turn, on the
 * engine's worker threads; there are no partial results.
 */
public final class SphinxEngine implements AutoCloseable {

    private static final String ACOUSTIC_MODEL = "resource:/edu/cmu/sphinx/models/en-us/en-us";
    private static final String LANGUAGE_MODEL = "resource:/edu/cmu/sphinx/models/en-us/en-us.lm.bin";
    private static final String DICTATION = "";
    private static final String DICTIONARY = "resource:/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict";

    private final int decoders;
    private final ExecutorService workers;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    public SphinxEngine(int decoders) {
        this.decoders = decoders;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(decoders, r -> Thread.ofPlatform().daemon()
                .name("sphinx-" + n.incrementAndGet()).unstarted(r));
    }

    /**
     * A speech-to-text provider that recognizes the phrases of {@code jsgf}. Its recognizers are loaded in the
     * background now, so no turn waits for the acoustic model (not even the first that finds every loaded one busy).
     */
    public SpeechToText forGrammar(String jsgf) {
        return provider(pools.computeIfAbsent(jsgf, Pool::new), "sphinx-grammar");
    }

    /** Free dictation with Sphinx's general language model: poor on the phone, labelled sphinx-dictation. */
    public SpeechToText dictation() {
        return provider(pools.computeIfAbsent(DICTATION, Pool::new), "sphinx-dictation");
    }

    private SpeechToText provider(Pool pool, String engine) {
        for (int i = 0; i < decoders; i++) {
            workers.execute(pool::warm);
        }
        return new SpeechToText() {
            @Override
            public String engine() {
                return engine;
            }

            @Override
            public Stream open(String callId, TranscriptListener listener) {
                return new SphinxStream(pool::decode, workers, listener);
            }
        };
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    /** The recognizers of one grammar. */
    private final class Pool {

        private final String jsgf;
        private final BlockingQueue<TurnRecognizer> idle = new ArrayBlockingQueue<>(decoders);
        private final AtomicInteger created = new AtomicInteger();

        Pool(String jsgf) {
            this.jsgf = jsgf;
        }

        void warm() {
            if (created.incrementAndGet() <= decoders) {
                try {
                    idle.offer(create());
                } catch (IOException | RuntimeException e) {
                    // Loading is retried, and the error reported, by the first decode.
                }
            } else {
                created.decrementAndGet();
            }
        }

        String decode(byte[] pcm16le) throws InterruptedException, IOException {
            TurnRecognizer recognizer = idle.poll();
            if (recognizer == null && created.incrementAndGet() <= decoders) {
                recognizer = create();
            } else if (recognizer == null) {
                recognizer = idle.poll(30, java.util.concurrent.TimeUnit.SECONDS);
                if (recognizer == null) {
                    throw new IOException("no recognizer became free within 30 s");
                }
            }
            String text;
            try {
                text = recognizer.decode(pcm16le);
            } catch (RuntimeException e) {
                // Its front end may still hold audio of this stream: the next decode gets a new recognizer.
                created.decrementAndGet();
                throw e;
            }
            idle.offer(recognizer);
            return text;
        }

        private TurnRecognizer create() throws IOException {
            try {
                // Dictation keeps Sphinx's beam: the narrower one was measured on grammars only.
                return new TurnRecognizer(configuration(jsgf),
                        DICTATION.equals(jsgf) ? null : SphinxSearchConfig.RELATIVE_BEAM);
            } catch (IOException | RuntimeException e) {
                created.decrementAndGet();
                throw e;
            }
        }
    }

    /** The relative search beam the engine's grammar recognizers decode with. */
    public static String relativeBeam() {
        return SphinxSearchConfig.RELATIVE_BEAM;
    }

    /**
     * One recognizer of {@code jsgf} decoding with another relative search beam than the engine's, for benchmarks
     * that compare beams on the engine's own decode path.
     */
    public static SphinxStream.Decoder decoder(String jsgf, String relativeBeam) throws IOException {
        return new TurnRecognizer(configuration(jsgf), relativeBeam)::decode;
    }

    private static Configuration configuration(String jsgf) throws IOException {
        Configuration config = new Configuration();
        config.setAcousticModelPath(ACOUSTIC_MODEL);
        config.setDictionaryPath(DICTIONARY);
        if (DICTATION.equals(jsgf)) {
            config.setLanguageModelPath(LANGUAGE_MODEL);
        } else {
            Path dir = Files.createTempDirectory("sipai-jsgf");
            Files.writeString(dir.resolve(JsgfGrammar.NAME + ".gram"), jsgf, StandardCharsets.UTF_8);
            config.setGrammarPath(dir.toUri().toString());
            config.setGrammarName(JsgfGrammar.NAME);
            config.setUseGrammar(true);
        }
        return config;
    }
}
