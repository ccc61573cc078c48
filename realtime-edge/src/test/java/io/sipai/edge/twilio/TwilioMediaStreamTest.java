package io.sipai.edge.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.admission.Heartbeat;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.EndReason;
import io.sipai.common.Transport;
import io.sipai.edge.codec.MuLaw;
import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.events.CallEnded;
import io.sipai.events.CallStarted;
import io.sipai.events.DtmfReceived;
import io.sipai.schemas.telephony.TwilioSignature;
import io.sipai.testing.kafka.AdmissionResponder;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Twilio Media Streams over a real WebSocket, with messages exactly as in Twilio's documentation. */
class TwilioMediaStreamTest extends EdgeIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PATH = "/telephony/twilio/stream";
    private static final String STREAM_SID = "MZ00000000000000000000000000000001";

    private WsClient connectSigned() {
        String url = "ws://127.0.0.1:" + port + PATH;
        return WsClient.connect(ws(PATH), Map.of("X-Twilio-Signature", new TwilioSignature(TWILIO_TOKEN).sign(url)),
                List.of());
    }

    private static String start(String callId, String tenantId, String token) {
        return """
                {"event":"start","sequenceNumber":"1","start":{"accountSid":"AC00000000000000000000000000000001",
                "streamSid":"%s","callSid":"CA00000000000000000000000000000001","tracks":["inbound"],
                "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},
                "customParameters":{"callId":"%s","tenantId":"%s","token":"%s","agentId":"agent-1",
                "from":"+15550001","to":"+15550002"}},"streamSid":"%s"}""".formatted(STREAM_SID, callId, tenantId,
                token, STREAM_SID);
    }

    private static String media(int chunk, byte[] mulaw) {
        return """
                {"event":"media","sequenceNumber":"%d","media":{"track":"inbound","chunk":"%d","timestamp":"%d",
                "payload":"%s"},"streamSid":"%s"}""".formatted(chunk + 1, chunk, chunk * 20,
                Base64.getEncoder().encodeToString(mulaw), STREAM_SID);
    }

    private static byte[] tone(int chunk) {
        byte[] frame = new byte[160];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = MuLaw.encode((short) (8000 * Math.sin(2 * Math.PI * 440 * (chunk * 160 + i) / 8000.0)));
        }
        return frame;
    }

    @Test
    void aWholeCallEchoesAudioAndWritesItsEventsInOrder() {
        String callId = "tw-" + UUID.randomUUID();
        try (WsClient twilio = connectSigned()) {
            twilio.text("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
            twilio.text(start(callId, "acme", token(callId, "acme", "agent-1")));
            for (int chunk = 1; chunk <= 50; chunk++) {
                twilio.text(media(chunk, tone(chunk)));
            }
            twilio.text("{\"event\":\"dtmf\",\"streamSid\":\"" + STREAM_SID + "\",\"sequenceNumber\":\"60\","
                    + "\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"5\"}}");
            twilio.text("{\"event\":\"mark\",\"sequenceNumber\":\"61\",\"streamSid\":\"" + STREAM_SID
                    + "\",\"mark\":{\"name\":\"m1\"}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> twilio.texts.size() >= 49);
            JsonNode echo = JSON.readTree(twilio.nextText());
            assertThat(echo.path("event").asString()).isEqualTo("media");
            assertThat(echo.path("streamSid").asString()).isEqualTo(STREAM_SID);
            byte[] payload = Base64.getDecoder().decode(echo.path("media").path("payload").asString());
            assertThat(payload).hasSize(160);

            twilio.text("{\"event\":\"stop\",\"sequenceNumber\":\"62\",\"stop\":{\"accountSid\":\"AC1\","
                    + "\"callSid\":\"CA1\"},\"streamSid\":\"" + STREAM_SID + "\"}");
            assertThat(twilio.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1000);
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .containsSubsequence("CallStarted", "CallAnswered", "UserSpeechStarted", "DtmfReceived",
                        "CallEnded"));
        List<io.sipai.events.CallEvent> events = TestKafka.events(callId);
        CallStarted started = (CallStarted) events.getFirst().getPayload();
        assertThat(started.getTransport()).isEqualTo(Transport.TWILIO);
        assertThat(started.getEdgeNode()).isEqualTo("edge-test-1");
        assertThat(started.getFrom()).isEqualTo("+15550001");
        assertThat(events.getFirst().getTenantId()).isEqualTo("acme");
        assertThat(events.getFirst().getAgentId()).isEqualTo("agent-1");
        assertThat(events.stream().map(e -> e.getPayload()).filter(DtmfReceived.class::isInstance)
                .map(p -> ((DtmfReceived) p).getDigits())).containsExactly("5");
        CallEnded ended = (CallEnded) events.getLast().getPayload();
        assertThat(ended.getReason()).isEqualTo(EndReason.CALLER_HANGUP);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(AdmissionResponder
                .commandsFor(callId)).anyMatch(c -> c.getCommand() instanceof ReleaseSlot));
    }

    @Test
    void anOutboundCallIsAnsweredByTheProviderNotByTheEdge() {
        String callId = "tw-out-" + UUID.randomUUID();
        try (WsClient twilio = connectSigned()) {
            twilio.text(start(callId, "acme", token(callId, "acme", "agent-1")).replace("\"to\":\"+15550002\"",
                    "\"to\":\"+15550002\",\"direction\":\"outbound\""));
            twilio.text(media(1, tone(1)));
            twilio.text("{\"event\":\"stop\",\"sequenceNumber\":\"3\",\"stop\":{\"accountSid\":\"AC1\","
                    + "\"callSid\":\"CA1\"},\"streamSid\":\"" + STREAM_SID + "\"}");
            assertThat(twilio.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1000);
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .containsExactly("CallStarted", "CallEnded"));
    }

    @Test
    void aLiveCallHeartbeatsItsAdmissionSlot() {
        String callId = "tw-hb-" + UUID.randomUUID();
        try (WsClient twilio = connectSigned()) {
            twilio.text(start(callId, "acme", token(callId, "acme", "agent-1")));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(AdmissionResponder
                    .commandsFor(callId)).filteredOn(c -> c.getCommand() instanceof Heartbeat).hasSizeGreaterThan(1));
        }
    }

    @Test
    void theUpgradeNeedsAValidTwilioSignature() {
        assertThatThrownBy(() -> WsClient.connect(ws(PATH))).isInstanceOfSatisfying(
                WsClient.HandshakeRefused.class, e -> assertThat(e.status).isEqualTo(401));
        assertThatThrownBy(() -> WsClient.connect(ws(PATH), Map.of("X-Twilio-Signature",
                new TwilioSignature("another-token").sign("ws://127.0.0.1:" + port + PATH)), List.of()))
                .isInstanceOfSatisfying(WsClient.HandshakeRefused.class, e -> assertThat(e.status).isEqualTo(403));
    }

    @Test
    void aMissingOrExpiredTokenClosesWith4001RightAfterStart() {
        String callId = "tw-noauth-" + UUID.randomUUID();
        assertCloseAfterStart(start(callId, "acme", ""), 4001);
        String expired = MINTER.mint(callId, "acme", Instant.now().minusSeconds(1));
        assertCloseAfterStart(start(callId, "acme", expired), 4001);
        assertThat(TestKafka.events(callId)).isEmpty();
    }

    @Test
    void aReplayedTokenOrATokenOfAnotherCallClosesWith4003() {
        String callId = "tw-replay-" + UUID.randomUUID();
        String token = token(callId, "acme", "agent-1");
        try (WsClient first = connectSigned()) {
            first.text(start(callId, "acme", token));
            first.text(media(1, tone(1)));
            first.text(media(2, tone(2)));
            await().atMost(Duration.ofSeconds(5)).until(() -> !first.texts.isEmpty());
        }
        assertCloseAfterStart(start(callId, "acme", token), 4003);
        String otherCall = "tw-other-" + UUID.randomUUID();
        assertCloseAfterStart(start(otherCall, "acme", token(callId + "-x", "acme")), 4003);
    }

    @Test
    void anAgentIdParameterOtherThanTheTokensClosesWith4003AndStartsNothing() {
        // given: a token the gateway minted for agent-2, and a start whose parameters name agent-1
        String callId = "tw-agent-" + UUID.randomUUID();
        String token = token(callId, "acme", "agent-2");
        // when
        try (WsClient twilio = connectSigned()) {
            twilio.text(start(callId, "acme", token));
            WsClient.Close close = twilio.awaitClose(Duration.ofSeconds(5));
            // then
            assertThat(close.code()).isEqualTo(4003);
            assertThat(close.reason()).isEqualTo("per-call token wrong agent");
        }
        assertThat(TestKafka.events(callId)).isEmpty();
    }

    @Test
    void theCallIsServedByTheAgentTheTokenNamesWithoutAnAgentParameter() {
        // given: a start without agentId, its token bound to agent-7
        String callId = "tw-bound-" + UUID.randomUUID();
        String start = start(callId, "acme", token(callId, "acme", "agent-7"))
                .replace("\"agentId\":\"agent-1\",", "");
        // when
        try (WsClient twilio = connectSigned()) {
            twilio.text(start);
            twilio.text(media(1, tone(1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> TestKafka.eventTypes(callId).contains("CallStarted"));
        }
        // then
        assertThat(TestKafka.events(callId).getFirst().getAgentId()).isEqualTo("agent-7");
    }

    @Test
    void mediaBeforeStartUnknownEventsAndBrokenJsonAreRefusedWithReasons() {
        try (WsClient twilio = connectSigned()) {
            twilio.text(media(1, tone(1)));
            WsClient.Close close = twilio.awaitClose(Duration.ofSeconds(5));
            assertThat(close.code()).isEqualTo(1008);
            assertThat(close.reason()).isEqualTo("message before start");
        }
        try (WsClient twilio = connectSigned()) {
            twilio.text("{\"event\":\"teleport\"}");
            assertThat(twilio.awaitClose(Duration.ofSeconds(5))).isEqualTo(new WsClient.Close(1008,
                    "unknown event 'teleport'"));
        }
        try (WsClient twilio = connectSigned()) {
            twilio.text("{\"event\":");
            assertThat(twilio.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1007);
        }
    }

    private void assertCloseAfterStart(String start, int expectedCode) {
        try (WsClient twilio = connectSigned()) {
            long sent = System.nanoTime();
            twilio.text(start);
            WsClient.Close close = twilio.awaitClose(Duration.ofSeconds(5));
            long elapsedMs = (System.nanoTime() - sent) / 1_000_000;
            assertThat(close.code()).isEqualTo(expectedCode);
            assertThat(elapsedMs).as("close delay").isLessThan(500);
        }
    }
}
