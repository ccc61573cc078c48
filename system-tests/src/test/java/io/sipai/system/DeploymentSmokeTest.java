package io.sipai.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.sipai.system.support.Deployment;
import io.sipai.testing.cluster.ServiceNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** The deployment the failure scenarios run: every service as a process on a three-broker cluster turns ready. */
class DeploymentSmokeTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void everyServiceTurnsReadyOnAThreeBrokerCluster() {
        try (Deployment deployment = Deployment.start(dir)) {
            List<ServiceNode> nodes = List.of(
                    deployment.service("stream-processors", "processors-1", Map.of()),
                    deployment.service("webhook-dispatcher", "dispatcher-1", Map.of()),
                    deployment.service("api-gateway", "gateway-1", Map.of()),
                    deployment.service("realtime-edge", "edge-1", Map.of()));
            nodes.forEach(ServiceNode::start);
            nodes.forEach(node -> node.awaitReady(Deployment.READY));

            assertThat(nodes).allMatch(node -> node.status("/health") == 200);
        }
    }
}
