package io.sipai.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.schemas.Topics;
import io.sipai.system.support.CallTraffic;
import io.sipai.system.support.Deployment;
import io.sipai.system.support.Readiness;
import io.sipai.testing.cluster.KafkaCluster;
import io.sipai.testing.cluster.ServiceNode;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * One broker of three killed, then a partition leader frozen (SIGSTOP) for 30 s while call traffic flows: with two
 * of three nodes gone the cluster takes no writes, every service reports not ready, and when the frozen node thaws
 * every service is ready again without a restart, no acknowledged event is lost, every timeline is complete and a
 * new call goes through.
 */
class BrokerOutageTest {

    private static final Duration PAUSE = Duration.ofSeconds(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aLostBrokerAndAFrozenLeaderLoseNoAcknowledgedEventAndEveryServiceRecoversWithoutARestart() throws Exception {
        try (Deployment deployment = Deployment.start(dir)) {
            KafkaCluster kafka = deployment.kafka();
            List<ServiceNode> services = List.of(
                    deployment.service("stream-processors", "processors-1", Map.of()),
                    deployment.service("webhook-dispatcher", "dispatcher-1", Map.of()),
                    deployment.service("api-gateway", "gateway-1", Map.of()),
                    deployment.service("realtime-edge", "edge-1", Map.of()));
            services.forEach(ServiceNode::start);
            services.forEach(node -> node.awaitReady(Deployment.READY));
            ServiceNode edge = services.get(3);
            Map<String, Long> pids = Readiness.pids(services);

            CallTraffic traffic = CallTraffic.start(kafka.bootstrapServers(), 12);
            try {
                // given traffic flowing
                traffic.awaitAcknowledged(200, Duration.ofSeconds(60));

                // when one broker is killed, then the cluster still takes writes and every service is ready: at once,
                // or after its consumer groups rejoined (when the dead broker was their group coordinator, a member
                // whose heartbeats went there misses the move and is fenced, and stream-processors reports the
                // rebalance as not ready; seen in a .ci/run, 2026-12-05)
                int admissionLeader = kafka.leaderOf(Topics.CALL_ADMISSION.name(), 0);
                int killed = admissionLeader == 1 ? 2 : 1;
                long killedAt = System.nanoTime();
                kafka.kill(killed);
                long before = traffic.acknowledged();
                traffic.awaitAcknowledged(before + 200, Duration.ofSeconds(60));
                services.forEach(node -> node.awaitReady(Duration.ofSeconds(60)));
                System.out.printf("RESULT broker-outage: every service ready %d ms after a broker was killed%n",
                        (System.nanoTime() - killedAt) / 1_000_000);
                // a call may be refused while the coordinators move off the dead node (clean 1013), not for long; the
                // worst seen (a .ci/run, 2026-12-05): admission's open transaction outlived its 5 s timeout while
                // writes waited for the dead broker to leave the ISR, was aborted, and its replaced stream thread
                // answered nothing for over 30 s (docs/reliability.md, not covered yet)
                await().atMost(Duration.ofSeconds(60)).until(() -> call(edge));
                System.out.printf("RESULT broker-outage: calls go through %d ms after a broker was killed%n",
                        (System.nanoTime() - killedAt) / 1_000_000);

                // when the leader of the admission partition freezes too, then no writes are possible and every
                // service says so
                int frozen = kafka.leaderOf(Topics.CALL_ADMISSION.name(), 0);
                long frozenAt = System.nanoTime();
                kafka.pause(frozen);
                try {
                    Readiness.awaitAllNotReady(services, PAUSE.minusSeconds(2));
                    long notReadyAfterMs = (System.nanoTime() - frozenAt) / 1_000_000;
                    System.out.printf("RESULT broker-outage: every service not ready %d ms after the second node "
                            + "froze%n", notReadyAfterMs);
                    sleepUntil(frozenAt + PAUSE.toNanos());
                } finally {
                    kafka.resume(frozen);
                }

                // then, thawed, every service is ready again without a restart
                long thawedAt = System.nanoTime();
                services.forEach(node -> node.awaitReady(Duration.ofSeconds(90)));
                System.out.printf("RESULT broker-outage: every service ready %d ms after the frozen node thawed%n",
                        (System.nanoTime() - thawedAt) / 1_000_000);
                assertThat(Readiness.pids(services)).isEqualTo(pids);
                kafka.restart(killed);
                long resumed = traffic.acknowledged();
                traffic.awaitAcknowledged(resumed + 200, Duration.ofSeconds(60));
                await().atMost(Duration.ofSeconds(60)).until(() -> call(edge));
            } finally {
                traffic.close();
            }

            // and no acknowledged event is lost and every timeline holds every acknowledged event once, in order
            CallTraffic.Verification verification = traffic.verify(Duration.ofSeconds(90));
            System.out.printf("RESULT broker-outage: %d events acknowledged, %d missing from call.events.v1, "
                    + "%d timelines complete%n", verification.acknowledged(), verification.missingEvents().size(),
                    verification.completeTimelines());
            assertThat(verification.missingEvents()).isEmpty();
            assertThat(verification.incompleteTimelines()).isEmpty();
        }
    }

    /** An own-protocol call on the edge: start, connected, stop, ended. */
    private static boolean call(ServiceNode edge) {
        String callId = "outage-" + UUID.randomUUID();
        try (WsClient client = WsClient.connect(java.net.URI.create("ws://127.0.0.1:" + edge.port()
                + "/realtime/voice?api_key=" + Deployment.ADMIN_KEY))) {
            client.text("{\"t\":\"start\",\"callId\":\"" + callId + "\"}");
            if (!client.nextText().contains("\"connected\"")) {
                return false;
            }
            client.text("{\"t\":\"stop\"}");
            return client.nextText().contains("\"ended\"");
        } catch (RuntimeException | AssertionError e) {
            return false;
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }
}
