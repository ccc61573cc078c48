package io.sipai.edge.asr.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;

/**
 * Sphinx4's own configuration (the {@code default.config.xml} inside sphinx4-core, which {@link Context} reads by
 * default) with another relative beam for the search: the grammar recognizer prunes hypotheses more than 1e-40
 * (instead of 1e-60) below the best at each frame. On 64 flite recordings of the booking agent's phrases (four
 * voices, clean and with hiss) that got 50 right against 48 with about 6 % less decoding CPU, which is what callers
 * queue for when their turns end together (docs/benchmarks.md, offline defaults; narrower beams took more
 * recordings for the wrong phrase). Every other setting stays Sphinx's. The patch expects Sphinx's default
 * value in the file: a Sphinx version whose file differs fails when the first recognizer is built, instead of
 * decoding with a beam nobody measured.
 */
final class SphinxSearchConfig {

    /** The relative beam the grammar recognizer decodes with. */
    static final String RELATIVE_BEAM = "1e-40";
    private static final String DEFAULT = "/edu/cmu/sphinx/api/default.config.xml";
    /** The global property (component properties refer to it as {@code ${relativeBeamWidth}}), at its default. */
    private static final Pattern BEAM =
            Pattern.compile("(<property\\s+name=\"relativeBeamWidth\"\\s+value=\")1e-60(\"\\s*/>)");

    private SphinxSearchConfig() {
    }

    /**
     * A context for {@code config} on Sphinx's configuration with {@code relativeBeam}. Sphinx reads its configuration
     * from a URL when the context is built, so the patched file lives only that long.
     */
    static Context context(Configuration config, String relativeBeam) throws IOException {
        Path file = Files.createTempFile("sipai-sphinx", ".config.xml");
        try {
            Files.writeString(file, patched(defaults(), relativeBeam), StandardCharsets.UTF_8);
            return new Context(file.toUri().toString(), config);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static String patched(String config, String relativeBeam) {
        double beam;
        try {
            beam = Double.parseDouble(relativeBeam);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a relative beam is a number, was '" + relativeBeam + "'", e);
        }
        if (!(beam > 0 && beam < 1)) {
            throw new IllegalArgumentException("a relative beam is between 0 and 1, was " + relativeBeam);
        }
        Matcher global = BEAM.matcher(config);
        if (!global.find()) {
            throw new IllegalStateException("this Sphinx version's " + DEFAULT + " does not set relativeBeamWidth to "
                    + "1e-60; the offline recognizer's search beam was measured against that default");
        }
        return global.replaceFirst("$1" + Matcher.quoteReplacement(relativeBeam) + "$2");
    }

    static String defaults() {
        try (InputStream in = Context.class.getResourceAsStream(DEFAULT)) {
            if (in == null) {
                throw new IllegalStateException("sphinx4-core has no " + DEFAULT);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Sphinx's " + DEFAULT, e);
        }
    }
}
