package io.sipai.testing.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The architecture rules pass on a clean layout and fail on each planted violation. */
class ArchitectureRulesTest {

    private static final String FIXTURE = "io.sipai.testing.architecture.fixture";

    private static JavaClasses classes(String root) {
        return new ClassFileImporter().importPackages(root);
    }

    @Test
    void aLayoutWhoseWiringUsesAFeaturesInternalsPassesEveryRule() {
        String root = FIXTURE + ".clean";
        assertThatCode(() -> ArchitectureRules.check(root, classes(root), List.of(root)))
                .doesNotThrowAnyException();
    }

    @Test
    void aPlantedPackageCycleFails() {
        String root = FIXTURE + ".cyclic";
        assertThatThrownBy(() -> ArchitectureRules.noPackageCycles(root).check(classes(root)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Cycle detected");
    }

    @Test
    void aPlantedReachIntoAnotherFeaturesInternalsFails() {
        String root = FIXTURE + ".reaching";
        assertThatThrownBy(() -> ArchitectureRules.internalsStayInTheirFeature(root).check(classes(root)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Reacher reaches into " + root + ".owner's internals");
    }

    @Test
    void aPlantedUseOfAnotherServiceFails() {
        String a = FIXTURE + ".servicea";
        String b = FIXTURE + ".serviceb";
        assertThatThrownBy(() -> ArchitectureRules.noOtherService(a, List.of(a, b)).check(classes(FIXTURE)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("UsesB");
    }

    @Test
    void theOwnerOfAnInternalPackageIsThePackageAboveIt() {
        assertThat(ArchitectureRules.internalOwner("io.sipai.edge.twilio.internal")).isEqualTo("io.sipai.edge.twilio");
        assertThat(ArchitectureRules.internalOwner("io.sipai.edge.twilio.internal.codec"))
                .isEqualTo("io.sipai.edge.twilio");
        assertThat(ArchitectureRules.internalOwner("io.sipai.edge.twilio")).isNull();
    }
}
