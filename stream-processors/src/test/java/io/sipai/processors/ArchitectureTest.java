package io.sipai.processors;

import io.sipai.testing.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** stream-processors's packages keep the layering every service keeps (see {@link ArchitectureRules}). */
class ArchitectureTest {

    @Test
    void noPackageCyclesNoReachIntoAnotherFeaturesInternalsAndNoOtherService() {
        ArchitectureRules.check("io.sipai.processors");
    }
}
