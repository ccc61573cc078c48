package io.sipai.edge;

import io.sipai.testing.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** realtime-edge's packages keep the layering every service keeps (see {@link ArchitectureRules}). */
class ArchitectureTest {

    @Test
    void noPackageCyclesNoReachIntoAnotherFeaturesInternalsAndNoOtherService() {
        ArchitectureRules.check("io.sipai.edge");
    }
}
