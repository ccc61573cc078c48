package io.sipai.edge.asr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import edu.cmu.sphinx.api.Context;
import org.junit.jupiter.api.Test;

/** The offline recognizer decodes with Sphinx's own configuration, only its search beam narrowed. */
class SphinxSearchConfigTest {

    @Test
    void givenSphinxsConfiguration_thenOnlyTheRelativeBeamDiffers() throws Exception {
        String original;
        try (InputStream in = Context.class.getResourceAsStream("/edu/cmu/sphinx/api/default.config.xml")) {
            original = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        String patched = Files.readString(Path.of(URI.create(SphinxSearchConfig.location(SphinxSearchConfig.RELATIVE_BEAM))), StandardCharsets.UTF_8);

        assertThat(original).contains("<property name=\"relativeBeamWidth\"  value=\"1e-60\"/>");
        assertThat(patched).isEqualTo(original.replace("<property name=\"relativeBeamWidth\"  value=\"1e-60\"/>",
                "<property name=\"relativeBeamWidth\"  value=\"" + SphinxSearchConfig.RELATIVE_BEAM + "\"/>"));
    }

    @Test
    void givenAConfigurationWithoutTheBeam_thenItFailsSayingSo() {
        assertThatThrownBy(() -> SphinxSearchConfig.patched("<config><property name=\"x\" value=\"1\"/></config>",
                "1e-40")).isInstanceOf(IllegalStateException.class).hasMessageContaining("relativeBeamWidth");
    }
}
