package io.sipai.testing.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The ports of one test's processes never coincide, though the kernel offers a closed probe's port again. */
class FreePortsTest {

    @Test
    void givenManyRequests_whenPortsAreHandedOut_thenNoPortIsHandedOutTwice() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            ports.add(FreePorts.next());
        }
        assertThat(ports).hasSize(2_000);
    }
}
