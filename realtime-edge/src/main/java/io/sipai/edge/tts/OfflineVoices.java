package io.sipai.edge.tts;

import java.util.Optional;

import io.sipai.runtime.InvalidSettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline text-to-speech engines of a node and which one speaks for agents whose tts provider is
 * {@code offline}: flite when it is installed (first audio in about 11 ms) unless {@code VOICE_OFFLINE_TTS} says
 * otherwise, else MaryTTS (in-process, about 240 ms). MaryTTS is always there for agents that name it; it starts on
 * first use, or at startup when it is the offline voice and the warm-up is on.
 */
public final class OfflineVoices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineVoices.class);

    private final MaryEngine mary;
    private final FliteEngine flite;
    private final TextToSpeech offline;

    private OfflineVoices(MaryEngine mary, FliteEngine flite, TextToSpeech offline) {
        this.mary = mary;
        this.flite = flite;
        this.offline = offline;
    }

    /**
     * @param choice       {@code auto}, {@code flite} or {@code marytts} (VOICE_OFFLINE_TTS)
     * @param fliteProgram the flite executable to look for
     * @param warmUp       start MaryTTS now when it is the offline voice
     * @throws InvalidSettingException when {@code flite} is asked for and not installed
     */
    public static OfflineVoices start(String choice, String fliteProgram, int maryWorkers, int fliteWorkers,
                                      boolean warmUp) {
        MaryEngine mary = new MaryEngine(maryWorkers);
        FliteEngine flite = FliteEngine.find(fliteProgram, fliteWorkers).orElse(null);
        if ("flite".equals(choice) && flite == null) {
            mary.close();
            throw new InvalidSettingException("VOICE_OFFLINE_TTS", "flite is not installed (" + fliteProgram
                    + " -lv did not list voices; Debian package flite)");
        }
        TextToSpeech offline = flite != null && !"marytts".equals(choice) ? flite : mary;
        if (offline == mary && warmUp) {
            mary.warmUp();
        }
        LOG.info("offline text-to-speech: {}", offline.name());
        return new OfflineVoices(mary, flite, offline);
    }

    /** The engine of agents whose tts provider is {@code offline}. */
    public TextToSpeech offline() {
        return offline;
    }

    /** MaryTTS, for agents that name it. */
    public MaryEngine mary() {
        return mary;
    }

    /** flite, for agents that name it, when installed. */
    public Optional<TextToSpeech> flite() {
        return Optional.ofNullable(flite);
    }

    /** Whether the offline voice synthesizes: flite at once, MaryTTS once its warm-up finished. */
    public boolean started() {
        return offline != mary || mary.started();
    }

    @Override
    public void close() {
        mary.close();
        if (flite != null) {
            flite.close();
        }
    }
}
