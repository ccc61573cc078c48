package io.sipai.edge.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.common.Transport;
import io.sipai.edge.auth.SignedUrls;
import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.events.CallStarted;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.testing.ws.RawWs;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** sipai's own protocol v1 over a real WebSocket: whole calls, admission outcomes, auth matrix, bad input. */
class VoiceProtocolTest extends EdgeIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WsClient connect() {
        return WsClient.connect(ws("/realtime/voice?api_key=" + ACME_KEY));
    }

    private static byte[] pcmFrame(int amplitude) {
        byte[] frame = new byte[640];
        for (int i = 0; i < 320; i++) {
            short s = (short) (amplitude * Math.sin(2 * Math.PI * 300 * i / 16000.0));
            frame[2 * i] = (byte) s;
            frame[2 * i + 1] = (byte) (s >> 8);
        }
        return frame;
    }

    @Test
    void aWholeCallIsAdmittedEchoesAudioAndEndsWithItsEventsInOrder() {
        String callId = "ws-" + UUID.randomUUID();
        try (WsClient client = connect()) {
            client.text("{\"t\":\"start\",\"v\":1,\"callId\":\"" + callId + "\",\"agentId\":\"agent-1\","
                    + "\"metadata\":{\"page\":\"pricing\"}}");
            JsonNode connected = JSON.readTree(client.nextText());
            assertThat(connected.path("t").asString()).isEqualTo("connected");
            assertThat(connected.path("callId").asString()).isEqualTo(callId);
            assertThat(connected.path("audio").path("sampleRate").asInt()).isEqualTo(16000);
            for (int i = 0; i < 10; i++) {
                client.binary(pcmFrame(6000));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> client.binaryCount.get() >= 10);
            assertThat(client.binaries.peek()).hasSize(640);
            client.text("{\"t\":\"text\",\"text\":\"hello\"}");
            assertThat(JSON.readTree(client.nextText()).path("text").asString()).isEqualTo("hello");
            client.text("{\"t\":\"stop\"}");
            JsonNode ended = JSON.readTree(client.nextText());
            assertThat(ended.path("t").asString()).isEqualTo("ended");
            assertThat(client.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1000);
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .containsExactly("CallRequested", "CallAdmitted", "CallStarted", "CallAnswered", "UserSpeechStarted",
                        "CallEnded"));
        assertThat(((CallStarted) TestKafka.events(callId).get(2).getPayload()).getTransport())
                .isEqualTo(Transport.WEBSOCKET);
    }

    @Test
    void everyCallLogsItsCallRequestedBeforeAdmissionsCallAdmitted() {
        List<String> callIds = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String callId = "causal-" + i + "-" + UUID.randomUUID();
            callIds.add(callId);
            try (WsClient client = connect()) {
                client.text("{\"t\":\"start\",\"callId\":\"" + callId + "\"}");
                assertThat(JSON.readTree(client.nextText()).path("t").asString()).isEqualTo("connected");
                client.text("{\"t\":\"stop\"}");
                client.awaitClose(Duration.ofSeconds(5));
            }
        }
        for (String callId : callIds) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                    .as("events of %s in log order", callId)
                    .containsExactly("CallRequested", "CallAdmitted", "CallStarted", "CallAnswered", "CallEnded"));
        }
    }

    @Test
    void aClientThatHangsUpWhileAdmissionDecidesLeavesNoLiveCallAndNoHeldSlot() {
        String callId = "gone-" + UUID.randomUUID();
        try (WsClient client = connect()) {
            client.text("{\"t\":\"start\",\"callId\":\"" + callId + "\"}");
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .last().isEqualTo("CallEnded"));
        assertThat(((io.sipai.events.CallEnded) TestKafka.events(callId).getLast().getPayload()).getDetail())
                .isEqualTo("connection closed before the call started");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                io.sipai.testing.kafka.AdmissionResponder.commandsFor(callId))
                .anyMatch(c -> c.getCommand() instanceof io.sipai.admission.ReleaseSlot));
    }

    @Test
    void aRejectedCallGetsAnErrorWithTheReasonAndClose4029() {
        try (WsClient client = WsClient.connect(ws("/realtime/voice"), Map.of("Authorization",
                "Bearer full-key-0001"), List.of())) {
            client.text("{\"t\":\"start\",\"agentId\":\"agent-1\"}");
            JsonNode error = JSON.readTree(client.nextText());
            assertThat(error.path("code").asString()).isEqualTo("admission_rejected");
            assertThat(error.path("message").asString()).contains("TENANT").contains("tenant limit 200 reached");
            WsClient.Close close = client.awaitClose(Duration.ofSeconds(5));
            assertThat(close.code()).isEqualTo(4029);
        }
    }

    @Test
    void noAdmissionDecisionInTimeGivesAClearErrorAndClose1013() {
        try (WsClient client = WsClient.connect(ws("/realtime/voice?api_key=silent-key-0001"))) {
            client.text("{\"t\":\"start\",\"agentId\":\"agent-1\"}");
            JsonNode error = JSON.readTree(client.nextText());
            assertThat(error.path("code").asString()).isEqualTo("admission_unavailable");
            assertThat(error.path("message").asString()).contains("within 1500 ms (EDGE_ADMISSION_TIMEOUT_MS)");
            assertThat(client.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1013);
        }
    }

    @Test
    void everyAcceptedCredentialOpensTheSocketAndTheSubprotocolKeyIsEchoed() {
        try (WsClient client = WsClient.connect(ws("/realtime/voice"), Map.of(), List.of(ACME_KEY))) {
            assertThat(client.subprotocol()).isEqualTo(ACME_KEY);
        }
        try (WsClient client = WsClient.connect(ws("/v1/realtime/voice"), Map.of("Authorization",
                "Bearer " + DEFAULT_KEY), List.of())) {
            assertThat(client.subprotocol()).isEmpty();
        }
        long exp = Instant.now().plusSeconds(60).getEpochSecond();
        String sig = new SignedUrls(WS_SECRET).sign("/realtime/voice", "acme", exp);
        try (WsClient client = WsClient.connect(ws("/realtime/voice?tenant=acme&exp=" + exp + "&sig=" + sig))) {
            assertThat(client.closed).isNotDone();
        }
    }

    @Test
    void missingWrongAndExpiredCredentialsAndForeignOriginsAreRefusedBeforeTheUpgrade() {
        assertRefused("/realtime/voice", Map.of(), 401);
        assertRefused("/realtime/voice?api_key=wrong-key-000", Map.of(), 401);
        long past = Instant.now().minusSeconds(1).getEpochSecond();
        String sig = new SignedUrls(WS_SECRET).sign("/realtime/voice", "acme", past);
        assertRefused("/realtime/voice?tenant=acme&exp=" + past + "&sig=" + sig, Map.of(), 401);
        assertRefused("/realtime/voice?api_key=" + ACME_KEY, Map.of("Origin", "https://evil.example.com"), 403);
        try (WsClient allowed = WsClient.connect(ws("/realtime/voice?api_key=" + ACME_KEY),
                Map.of("Origin", "https://app.example.com"), List.of())) {
            assertThat(allowed.closed).isNotDone();
        }
    }

    private void assertRefused(String path, Map<String, String> headers, int status) {
        assertThatThrownBy(() -> WsClient.connect(ws(path), headers, List.of()))
                .isInstanceOfSatisfying(WsClient.HandshakeRefused.class, e -> assertThat(e.status).isEqualTo(status));
    }

    @Test
    void protocolViolationsCloseWith1008AndAReasonWhileOtherCallsCarryOn() {
        String callId = "ws-bystander-" + UUID.randomUUID();
        try (WsClient bystander = connect()) {
            bystander.text("{\"t\":\"start\",\"callId\":\"" + callId + "\"}");
            assertThat(JSON.readTree(bystander.nextText()).path("t").asString()).isEqualTo("connected");
            try (WsClient early = connect()) {
                early.binary(pcmFrame(100));
                assertThat(early.awaitClose(Duration.ofSeconds(5))).isEqualTo(new WsClient.Close(1008,
                        "audio before start"));
            }
            try (WsClient unknown = connect()) {
                unknown.text("{\"t\":\"dance\"}");
                assertThat(unknown.awaitClose(Duration.ofSeconds(5))).isEqualTo(new WsClient.Close(1008,
                        "unknown message type 'dance'"));
            }
            try (WsClient broken = connect()) {
                broken.text("not json");
                assertThat(broken.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1007);
            }
            try (WsClient big = connect()) {
                big.binary(new byte[70_000]);
                assertThat(big.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1009);
            }
            for (int i = 0; i < 5; i++) {
                bystander.binary(pcmFrame(3000));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> bystander.binaryCount.get() >= 4);
        }
    }

    @Test
    void invalidUtf8InATextFrameClosesWith1007() throws Exception {
        try (RawWs raw = new RawWs(port, "/realtime/voice?api_key=" + ACME_KEY, 65536)) {
            assertThat(raw.handshakeResponse).startsWith("HTTP/1.1 101");
            raw.frame(1, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
            assertThat(raw.readCloseCode()).isEqualTo(1007);
        }
    }

    @Test
    void aTextFrameOverTheLimitClosesWith1009() throws Exception {
        try (RawWs raw = new RawWs(port, "/realtime/voice?api_key=" + ACME_KEY, 65536)) {
            raw.frame(1, ("{\"t\":\"text\",\"text\":\"" + "x".repeat(70_000) + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(raw.readCloseCode()).isEqualTo(1009);
        }
    }
}
