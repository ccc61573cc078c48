package io.sipai.edge.asr.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.List;

import edu.cmu.sphinx.api.AbstractSpeechRecognizer;
import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.api.SpeechResult;
import edu.cmu.sphinx.frontend.feature.LiveCMN;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Sphinx3Loader;

/**
 * A Sphinx4 recognizer whose every decode starts from the same state, so what it transcribes depends on the audio
 * it is given and never on what it decoded before. One recognizer serves every call of a grammar in turn
 * ({@link SphinxEngine}), so any state it carried from one decode to the next would make one call's transcript
 * depend on the calls before it.
 *
 * <p>The state Sphinx carries over is its live cepstral mean normalisation ({@link LiveCMN}): it estimates the mean
 * of the cepstra from the first stream it sees and then keeps adapting it over every later stream, never starting
 * anew. After a loud or a quiet caller the next caller's audio was normalised with that caller's mean, and the
 * same recording came out differently (or not at all). The rest of the front end resets itself at the start of each
 * stream (the speech classifier and marker on their DataStartSignal) and the search starts anew with each
 * utterance (Sphinx's decoder starts and stops recognition around each). LiveCMN has no way to reset it, so its
 * four fields are put back to the values a new instance has; they are looked up when the recognizer is built, so a
 * Sphinx version without them fails at once instead of leaking state quietly.
 *
 * <p>The tied-mixture acoustic model keeps each phone's Gaussian scores of the last frame it scored, matched to the
 * next frame by its first sample number; sample numbers restart with every stream, so a decode's first frame of a
 * phone could take the scores of the previous decode's frame with the same number. Those scores are kept in a
 * queue that is emptied before each decode. (Which Gaussians a frame starts its top-N search from also carries over;
 * that decides only between scores equal to within Sphinx's integer comparison.)
 *
 * <p>The recognizer is allocated once, when it is built: allocating loads the whole pronunciation dictionary and
 * builds the grammar's search graph, which took about 70 % of a decode's CPU when it was done for each decode
 * (allocating never reset the state above either: the model and the front end are not rebuilt). A decode that
 * fails may leave audio of its stream buffered in the front end, so its recognizer is not used again
 * ({@link SphinxEngine}).
 */
final class TurnRecognizer extends AbstractSpeechRecognizer {

    private final LiveCMN normalisation;
    private final Field sum;
    private final Field currentMean;
    private final Field numberFrame;
    private final Field initialList;
    /** The acoustic model's loader when its mixtures are tied (their scores are kept between frames), else null. */
    private final Sphinx3Loader gaussians;

    /**
     * A recognizer of {@code config}: on Sphinx's configuration with {@code relativeBeam} as the search's relative beam
     * ({@link SphinxSearchConfig}), or as it is when that is null.
     */
    TurnRecognizer(Configuration config, String relativeBeam) throws IOException {
        super(relativeBeam == null ? new Context(config) : SphinxSearchConfig.context(config, relativeBeam));
        this.normalisation = context.getInstance(LiveCMN.class);
        this.sum = field("sum");
        this.currentMean = field("currentMean");
        this.numberFrame = field("numberFrame");
        this.initialList = field("initialList");
        this.gaussians = context.getLoader() instanceof Sphinx3Loader loader && loader.hasTiedMixtures()
                ? loader : null;
        if (gaussians != null) {
            gaussians.setGauScoresQueueLength(1);
        }
        recognizer.allocate();
    }

    /** Decodes PCM16 little-endian 16 kHz audio from the initial state; the hypotheses joined by spaces. */
    String decode(byte[] pcm16le) {
        restartNormalisation();
        if (gaussians != null) {
            gaussians.clearGauScores();
        }
        context.setSpeechSource(new ByteArrayInputStream(pcm16le));
        StringBuilder text = new StringBuilder();
        SpeechResult result;
        while ((result = getResult()) != null) {
            String hypothesis = result.getHypothesis().replace("<unk>", "").strip();
            if (!hypothesis.isEmpty()) {
                text.append(text.isEmpty() ? "" : " ").append(hypothesis);
            }
        }
        return text.toString();
    }

    /** LiveCMN as constructed: no sums, no mean, no frames; the first frames of the next stream set the mean. */
    private void restartNormalisation() {
        try {
            sum.set(normalisation, null);
            currentMean.set(normalisation, null);
            numberFrame.setInt(normalisation, 0);
            ((List<?>) initialList.get(normalisation)).clear();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot reset Sphinx's cepstral mean normalisation", e);
        }
    }

    private static Field field(String name) {
        try {
            Field field = LiveCMN.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            throw new IllegalStateException("this Sphinx version's LiveCMN has no field " + name
                    + "; the recognizer cannot start each decode from the same state", e);
        }
    }
}
