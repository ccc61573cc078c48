package io.sipai.edge.asr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import edu.cmu.sphinx.util.props.ConfigurationManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline grammar recognizer decodes with Sphinx's own configuration, only its search beam changed. */
class SphinxSearchConfigTest {

    private static final String SPHINX_BEAM = "<property name=\"relativeBeamWidth\"  value=\"1e-60\"/>";

    @Test
    void givenSphinxsConfiguration_whenPatched_thenOnlyTheGlobalRelativeBeamDiffers() {
        String original = SphinxSearchConfig.defaults();

        String patched = SphinxSearchConfig.patched(original, "1e-40");

        assertThat(original).contains(SPHINX_BEAM);
        assertThat(patched).isEqualTo(original.replace(SPHINX_BEAM,
                "<property name=\"relativeBeamWidth\"  value=\"1e-40\"/>"));
    }

    @Test
    void givenThePatchedConfiguration_whenSphinxLoadsIt_thenTheGrammarSearchPrunesAtThatBeam(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("sphinx.config.xml");
        Files.writeString(file, SphinxSearchConfig.patched(SphinxSearchConfig.defaults(),
                SphinxSearchConfig.RELATIVE_BEAM), StandardCharsets.UTF_8);

        ConfigurationManager sphinx = new ConfigurationManager(file.toUri().toURL());

        // The grammar search (simpleSearchManager) takes its active list from the "activeList" component.
        assertThat(sphinx.getPropertySheet("activeList").getDouble("relativeBeamWidth")).isEqualTo(1e-40);
    }

    @Test
    void givenAConfigurationWithoutSphinxsDefaultBeam_whenPatched_thenItFailsSayingSo() {
        String changedDefault = SphinxSearchConfig.defaults().replace(SPHINX_BEAM,
                "<property name=\"relativeBeamWidth\"  value=\"1e-70\"/>");

        assertThatThrownBy(() -> SphinxSearchConfig.patched(changedDefault, "1e-40"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("relativeBeamWidth");
    }

    @Test
    void givenABeamThatIsNoProbability_whenPatched_thenItIsRefused() {
        String defaults = SphinxSearchConfig.defaults();

        assertThatThrownBy(() -> SphinxSearchConfig.patched(defaults, "1e-40\"/><x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a number");
        assertThatThrownBy(() -> SphinxSearchConfig.patched(defaults, "2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 1");
    }
}
