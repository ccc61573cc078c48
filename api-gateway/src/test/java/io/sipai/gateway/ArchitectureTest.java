package io.sipai.gateway;

import io.sipai.testing.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** api-gateway's packages keep the layering every service keeps (see {@link ArchitectureRules}). */
class ArchitectureTest {

    @Test
    void noPackageCyclesNoReachIntoAnotherFeaturesInternalsAndNoOtherService() {
        ArchitectureRules.check("io.sipai.gateway");
    }
}
