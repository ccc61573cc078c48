package io.sipai.system.support;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sipai.testing.cluster.ServiceNode;

/** What the services' health endpoints say during a failure. */
public final class Readiness {

    private Readiness() {
    }

    /** The process id of each node, by name: equal before and after means nothing was restarted. */
    public static Map<String, Long> pids(List<ServiceNode> nodes) {
        Map<String, Long> pids = new LinkedHashMap<>();
        nodes.forEach(node -> pids.put(node.name(), node.process().pid()));
        return pids;
    }

    /** Waits until every node has answered not ready (503) at least once within {@code timeout}. */
    public static void awaitAllNotReady(List<ServiceNode> nodes, Duration timeout) {
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.size() < nodes.size()) {
            for (ServiceNode node : nodes) {
                if (node.status("/health/ready") == 503) {
                    seen.add(node.name());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("within " + timeout + " only " + seen + " reported not ready of "
                        + nodes.stream().map(ServiceNode::name).toList());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
