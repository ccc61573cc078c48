package io.sipai.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.sipai.admission.AdmissionDecision;
import io.sipai.common.Transport;
import io.sipai.schemas.Topics;
import io.sipai.schemas.telephony.TelephonyToken;
import io.sipai.system.support.Deployment;
import io.sipai.system.support.EdgeCaller;
import io.sipai.system.support.ProviderCalls;
import io.sipai.system.support.ServiceMetrics;
import io.sipai.system.support.TopicTap;
import io.sipai.testing.cluster.KafkaCluster;
import io.sipai.testing.cluster.ServiceNode;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployment-wide single use of the per-call media tokens (issue 16 item 3): two realtime-edge nodes and the real
 * stream-processors (whose admission task decides the claims of a call's media) on the three-broker cluster. A
 * Twilio and a jambonz call, each admitted as api-gateway admits them, connect with their tokens; the same tokens
 * replayed on the other node are refused (Twilio: close 4003, jambonz: 403), and on the node that used them after
 * it was SIGKILLed and started again (its in-memory cache of used tokens is gone). With every broker frozen a fresh
 * token is refused 503 (fail closed), and accepted once the brokers are back. Prints the claim's round trip.
 */
class MediaTokenReplayTest {

    private static final String TENANT = "default";
    private static final String TWILIO_TOKEN = "system-twilio-auth-token";
    private static final Duration CLOSE = Duration.ofSeconds(10);
    private static final int ADMISSION_TIMEOUT_MS = 2000;
    private static final int WARM_CLAIMS = 20;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final TelephonyToken minter = new TelephonyToken(Deployment.TOKEN_SECRET);

    @Test
    void aMediaTokenIsUsedOnceInTheDeploymentAcrossNodesAndRestarts() {
        try (Deployment deployment = Deployment.start(dir)) {
            KafkaCluster kafka = deployment.kafka();
            ServiceNode processors = deployment.service("stream-processors", "processors-1", Map.of());
            ServiceNode edge1 = deployment.service("realtime-edge", "edge-1", edgeSettings("edge-1"));
            ServiceNode edge2 = deployment.service("realtime-edge", "edge-2", edgeSettings("edge-2"));
            List<ServiceNode> nodes = List.of(processors, edge1, edge2);
            nodes.forEach(ServiceNode::start);
            nodes.forEach(node -> node.awaitReady(Deployment.READY));
            try (TopicTap<AdmissionDecision> decisions = TopicTap.start(kafka.bootstrapServers(),
                    Topics.CALL_ADMISSION_DECISIONS);
                 ProviderCalls gateway = new ProviderCalls(kafka.bootstrapServers(), decisions)) {
                // given a Twilio call connected to edge-1 and a jambonz call connected to edge-2 with their tokens
                String twilioCall = "twilio-" + UUID.randomUUID();
                String twilioToken = token(twilioCall);
                gateway.admit(twilioCall, TENANT, Transport.TWILIO);
                EdgeCaller twilio = EdgeCaller.twilio(edge1, twilioCall, TENANT, TWILIO_TOKEN, twilioToken);
                assertThat(twilio.exchangesAudio()).isTrue();
                String jambonzCall = "jambonz-" + UUID.randomUUID();
                String jambonzToken = token(jambonzCall);
                gateway.admit(jambonzCall, TENANT, Transport.JAMBONZ);
                long upgradeStarted = System.nanoTime();
                EdgeCaller jambonz = EdgeCaller.jambonz(edge2, jambonzCall, TENANT, jambonzToken);
                long acceptedUpgradeMs = (System.nanoTime() - upgradeStarted) / 1_000_000;
                assertThat(jambonz.exchangesAudio()).isTrue();
                // and a jambonz call that edge-1 served, for the restart
                String usedOnEdge1 = "jambonz-" + UUID.randomUUID();
                String usedOnEdge1Token = token(usedOnEdge1);
                gateway.admit(usedOnEdge1, TENANT, Transport.JAMBONZ);
                EdgeCaller.jambonz(edge1, usedOnEdge1, TENANT, usedOnEdge1Token).close();

                // when the tokens are replayed on the other node, then they are refused there
                long replayStarted = System.nanoTime();
                assertReplayRefused(EdgeCaller.twilio(edge2, twilioCall, TENANT, TWILIO_TOKEN, twilioToken));
                long twilioRefusalMs = (System.nanoTime() - replayStarted) / 1_000_000;
                assertJambonzRefused(edge1, jambonzCall, jambonzToken, 403);
                // and the calls that hold the media go on
                assertThat(twilio.open()).isTrue();
                assertThat(jambonz.exchangesAudio()).isTrue();
                long baselineStarted = System.nanoTime();
                assertJambonzRefused(edge2, jambonzCall, token("another-call"), 403);
                long noClaimUpgradeMs = (System.nanoTime() - baselineStarted) / 1_000_000;

                // when edge-1 crashes and starts again, then the tokens it used are refused on it all the same
                edge1.kill();
                edge1.startAndAwaitReady(Deployment.READY);
                assertReplayRefused(EdgeCaller.twilio(edge1, twilioCall, TENANT, TWILIO_TOKEN, twilioToken));
                assertJambonzRefused(edge1, usedOnEdge1, usedOnEdge1Token, 403);

                System.out.printf("RESULT media-token-claim-first: first jambonz upgrade with a claim %d ms, a "
                        + "refused upgrade without a claim %d ms, Twilio replay refused %d ms after its start (client "
                        + "side, nodes just started)%n", acceptedUpgradeMs, noClaimUpgradeMs, twilioRefusalMs);
                warmClaims(edge2);
                failsClosedWhileTheBrokersAreFrozen(kafka, edge2, gateway);
                twilio.close();
                jambonz.close();
            }
        }
    }

    /**
     * With every broker frozen, a fresh token cannot be claimed: the upgrade is refused 503 after the admission
     * timeout (not accepted); once the brokers are back the same token is accepted.
     */
    private void failsClosedWhileTheBrokersAreFrozen(KafkaCluster kafka, ServiceNode edge, ProviderCalls gateway) {
        String callId = "jambonz-" + UUID.randomUUID();
        String token = token(callId);
        gateway.admit(callId, TENANT, Transport.JAMBONZ);
        long started;
        for (int id = 1; id <= kafka.size(); id++) {
            kafka.pause(id);
        }
        try {
            started = System.nanoTime();
            assertJambonzRefused(edge, callId, token, 503);
        } finally {
            for (int id = 1; id <= kafka.size(); id++) {
                kafka.resume(id);
            }
        }
        long refusedAfterMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(refusedAfterMs).isGreaterThanOrEqualTo(ADMISSION_TIMEOUT_MS - 100);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        EdgeCaller accepted = null;
        while (accepted == null) {
            try {
                accepted = EdgeCaller.jambonz(edge, callId, TENANT, token);
            } catch (WsClient.HandshakeRefused e) {
                // 503 while the cluster recovers; the token is not spent by the refusals.
                assertThat(e.status).isEqualTo(503);
                assertThat(System.nanoTime()).isLessThan(deadline);
                sleep(Duration.ofMillis(500));
            }
        }
        assertThat(accepted.exchangesAudio()).isTrue();
        accepted.close();
        System.out.printf("RESULT media-token-claim-outage: with every broker frozen a fresh token was refused 503 "
                + "after %d ms (EDGE_ADMISSION_TIMEOUT_MS=%d), accepted once the brokers were back%n", refusedAfterMs,
                ADMISSION_TIMEOUT_MS);
    }

    private String token(String callId) {
        return minter.mint(callId, TENANT, Instant.now().plusSeconds(300));
    }

    private static void assertReplayRefused(EdgeCaller replay) {
        WsClient.Close close = replay.awaitClose(CLOSE);
        assertThat(close.code()).isEqualTo(4003);
        assertThat(close.reason()).contains("replayed");
    }

    private static void assertJambonzRefused(ServiceNode edge, String callId, String token, int status) {
        assertThatThrownBy(() -> EdgeCaller.jambonz(edge, callId, TENANT, token).close())
                .isInstanceOfSatisfying(WsClient.HandshakeRefused.class, refused ->
                        assertThat(refused.status).isEqualTo(status));
    }

    /**
     * The claim's cost once the node is warm: {@value #WARM_CLAIMS} jambonz upgrades with fresh tokens one after the
     * other, timed by the client (whole upgrade) and by the edge itself (edge.media.claims on /metrics).
     */
    private void warmClaims(ServiceNode edge) {
        double countBefore = ServiceMetrics.metric(edge, "edge_media_claims_seconds_count");
        double secondsBefore = ServiceMetrics.metric(edge, "edge_media_claims_seconds_sum");
        List<Long> upgradeMs = new ArrayList<>();
        for (int i = 0; i < WARM_CLAIMS; i++) {
            String callId = "warm-" + UUID.randomUUID();
            long started = System.nanoTime();
            EdgeCaller.jambonz(edge, callId, TENANT, token(callId)).close();
            upgradeMs.add((System.nanoTime() - started) / 1_000_000);
        }
        double claims = ServiceMetrics.metric(edge, "edge_media_claims_seconds_count") - countBefore;
        double seconds = ServiceMetrics.metric(edge, "edge_media_claims_seconds_sum") - secondsBefore;
        // For scale on the same machine and cluster: an own-protocol start, whose CallRequested is acknowledged and
        // whose slot admission decides before "connected", so two Kafka round trips, one of them through admission.
        List<Long> voiceMs = new ArrayList<>();
        for (int i = 0; i < WARM_CLAIMS / 2; i++) {
            long started = System.nanoTime();
            try (EdgeCaller voice = EdgeCaller.voice(edge, "voice-" + UUID.randomUUID())) {
                voiceMs.add((System.nanoTime() - started) / 1_000_000);
                voice.hangUp();
            }
        }
        Collections.sort(upgradeMs);
        Collections.sort(voiceMs);
        assertThat(claims).isEqualTo(WARM_CLAIMS);
        System.out.printf(Locale.ROOT, "RESULT media-token-claim: %d claims through admission on a warm edge: mean "
                + "round trip %.1f ms (edge.media.claims); whole jambonz upgrade p50 %d ms, max %d ms; for scale, "
                + "own-protocol start (CallRequested acknowledged + admission decision) p50 %d ms, max %d ms (client "
                + "side)%n", WARM_CLAIMS, 1000 * seconds / claims, upgradeMs.get(upgradeMs.size() / 2),
                upgradeMs.getLast(), voiceMs.get(voiceMs.size() / 2), voiceMs.getLast());
    }

    private static Map<String, String> edgeSettings(String name) {
        return Map.of("EDGE_NODE_NAME", name, "TWILIO_AUTH_TOKEN", TWILIO_TOKEN,
                "EDGE_ADMISSION_TIMEOUT_MS", Integer.toString(ADMISSION_TIMEOUT_MS));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
