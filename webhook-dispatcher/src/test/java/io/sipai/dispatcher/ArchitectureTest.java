package io.sipai.dispatcher;

import io.sipai.testing.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** webhook-dispatcher's packages keep the layering every service keeps (see {@link ArchitectureRules}). */
class ArchitectureTest {

    @Test
    void noPackageCyclesNoReachIntoAnotherFeaturesInternalsAndNoOtherService() {
        ArchitectureRules.check("io.sipai.dispatcher");
    }
}
