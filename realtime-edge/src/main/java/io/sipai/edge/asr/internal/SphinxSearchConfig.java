package io.sipai.edge.asr.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import edu.cmu.sphinx.api.Context;

/**
 * Sphinx4's own configuration (the {@code default.config.xml} inside sphinx4-core, which {@link Context} reads by
 * default) with a narrower relative beam for the search: hypotheses more than 1e-40 (instead of 1e-60) below the
 * best are pruned at each frame. On 64 flite recordings of the booking agent's phrases (four voices, clean and with
 * hiss) that took 15-20 % less decoding CPU and got 50 right against 48, and a decode's CPU is what callers queue
 * for when their turns end together (docs/benchmarks.md, offline defaults; narrower beams took more recordings for
 * the wrong phrase). The file is
 * the library's own, patched once per JVM, so every other setting stays Sphinx's; a Sphinx version whose file has no
 * such property fails when the first recognizer is built, instead of decoding with an untested beam.
 */
final class SphinxSearchConfig {

    /** The relative beam the offline recognizer decodes with. */
    static final String RELATIVE_BEAM = "1e-40";
    private static final String DEFAULT = "/edu/cmu/sphinx/api/default.config.xml";
    private static final Pattern BEAM =
            Pattern.compile("(<property\\s+name=\"relativeBeamWidth\"\\s+value=\")[^\"]*(\")");
    private static final Map<String, String> LOCATIONS = new HashMap<>();

    private SphinxSearchConfig() {
    }

    /** Where Sphinx's configuration with {@code relativeBeam} is, as a URL that {@link Context}'s constructor reads. */
    static synchronized String location(String relativeBeam) {
        String location = LOCATIONS.get(relativeBeam);
        if (location == null) {
            try {
                Path file = Files.createTempFile("sipai-sphinx", ".config.xml");
                file.toFile().deleteOnExit();
                Files.writeString(file, patched(defaults(), relativeBeam), StandardCharsets.UTF_8);
                location = file.toUri().toString();
                LOCATIONS.put(relativeBeam, location);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the Sphinx configuration", e);
            }
        }
        return location;
    }

    static String patched(String config, String relativeBeam) {
        Matcher beam = BEAM.matcher(config);
        if (!beam.find()) {
            throw new IllegalStateException("this Sphinx version's " + DEFAULT + " has no relativeBeamWidth property; "
                    + "the offline recognizer's search beam cannot be set");
        }
        return beam.replaceFirst("$1" + relativeBeam + "$2");
    }

    private static String defaults() throws IOException {
        try (InputStream in = Context.class.getResourceAsStream(DEFAULT)) {
            if (in == null) {
                throw new IllegalStateException("sphinx4-core has no " + DEFAULT);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
