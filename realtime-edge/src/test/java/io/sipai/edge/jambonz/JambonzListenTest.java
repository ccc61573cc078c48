package io.sipai.edge.jambonz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.common.EndReason;
import io.sipai.common.Transport;
import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.events.CallEnded;
import io.sipai.events.CallStarted;
import io.sipai.events.DtmfReceived;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** jambonz {@code listen} over a real WebSocket: metadata frame, L16 binary audio, commands, subprotocols, auth. */
class JambonzListenTest extends EdgeIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String METADATA = """
            {"sampleRate":8000,"mixType":"mono","callSid":"b5e39996-bd2f-4bda-b928-355147186a2a",
            "direction":"inbound","from":"+441173185201","to":"+441303763875","callId":"7ade3efb-7163",
            "sipStatus":200,"sipReason":"OK","callStatus":"in-progress","accountSid":"300be250",
            "applicationSid":"app-1","topic":"support"}""";

    private String listenPath(String callId, String token, String extra) {
        return "/telephony/jambonz/listen?callId=" + callId + "&tenantId=acme&agentId=agent-1&token=" + token + extra;
    }

    private static byte[] l16(int samples, int amplitude) {
        byte[] frame = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            short s = (short) (amplitude * Math.sin(2 * Math.PI * 300 * i / 8000.0));
            frame[2 * i] = (byte) s;
            frame[2 * i + 1] = (byte) (s >> 8);
        }
        return frame;
    }

    @Test
    void aStreamingCallEchoesL16AudioAndEndsWhenJambonzCloses() {
        String callId = "jb-" + UUID.randomUUID();
        String token = token(callId, "acme", "agent-1");
        try (WsClient jambonz = WsClient.connect(ws(listenPath(callId, token, "&outRate=8000")),
                Map.of(), List.of("audio.jambonz.org"))) {
            assertThat(jambonz.subprotocol()).isEqualTo("audio.jambonz.org");
            jambonz.text(METADATA);
            for (int i = 0; i < 25; i++) {
                jambonz.binary(l16(160, 7000));
            }
            jambonz.text("{\"event\":\"dtmf\",\"dtmf\":\"2\",\"duration\":\"1600\"}");
            jambonz.text("{\"type\":\"mark\",\"data\":{\"name\":\"m1\",\"event\":\"playout\"}}");
            await().atMost(Duration.ofSeconds(5)).until(() -> jambonz.binaryCount.get() >= 20);
            assertThat(jambonz.binaries.peek()).hasSize(320);
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .containsSubsequence("CallStarted", "CallAnswered", "DtmfReceived", "CallEnded"));
        List<io.sipai.events.CallEvent> events = TestKafka.events(callId);
        assertThat(((CallStarted) events.getFirst().getPayload()).getTransport()).isEqualTo(Transport.JAMBONZ);
        assertThat(events.stream().map(e -> e.getPayload()).filter(DtmfReceived.class::isInstance)
                .map(p -> ((DtmfReceived) p).getDurationMs())).containsExactly(200);
        assertThat(((CallEnded) events.getLast().getPayload()).getReason()).isEqualTo(EndReason.CALLER_HANGUP);
    }

    @Test
    void theDrachtioSubprotocolNameIsAcceptedAndPlayModeSendsPlayAudioWithANumericRate() {
        String callId = "jb-play-" + UUID.randomUUID();
        try (WsClient jambonz = WsClient.connect(ws(listenPath(callId, token(callId, "acme", "agent-1"),
                "&mode=play&outRate=8000")), Map.of(), List.of("audio.drachtio.org"))) {
            assertThat(jambonz.subprotocol()).isEqualTo("audio.drachtio.org");
            jambonz.text(METADATA);
            for (int i = 0; i < 30; i++) {
                jambonz.binary(l16(160, 7000));
            }
            JsonNode play = JSON.readTree(jambonz.nextText());
            assertThat(play.path("type").asString()).isEqualTo("playAudio");
            assertThat(play.path("data").path("audioContentType").asString()).isEqualTo("raw");
            assertThat(play.path("data").path("sampleRate").isNumber()).isTrue();
            assertThat(play.path("data").path("sampleRate").asInt()).isEqualTo(8000);
        }
    }

    @Test
    void aMissingWrongOrReplayedTokenIsRefusedBeforeTheUpgrade() {
        String callId = "jb-auth-" + UUID.randomUUID();
        assertRefused(listenPath(callId, "", ""), 401);
        assertRefused(listenPath(callId, token("another-call", "acme"), ""), 403);
        String token = token(callId, "acme", "agent-1");
        try (WsClient first = WsClient.connect(ws(listenPath(callId, token, "")))) {
            assertThat(first.closed).isNotDone();
        }
        assertRefused(listenPath(callId, token, ""), 403);
    }

    @Test
    void anAgentIdOtherThanTheTokensIsRefusedBeforeTheUpgradeAndTheTokenStaysUsable() {
        // given: a token the gateway minted for agent-2; the listen URL names agent-1
        String callId = "jb-agent-" + UUID.randomUUID();
        String token = token(callId, "acme", "agent-2");
        // when / then
        assertRefused(listenPath(callId, token, ""), 403);
        String bound = "/telephony/jambonz/listen?callId=" + callId + "&tenantId=acme&token=" + token;
        try (WsClient jambonz = WsClient.connect(ws(bound), Map.of(), List.of("audio.jambonz.org"))) {
            jambonz.text("{\"sampleRate\":8000,\"mixType\":\"mono\",\"callSid\":\"cs-agent\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> TestKafka.eventTypes(callId).contains("CallStarted"));
        }
        assertThat(TestKafka.events(callId).getFirst().getAgentId()).isEqualTo("agent-2");
    }

    private void assertRefused(String path, int status) {
        assertThatThrownBy(() -> WsClient.connect(ws(path)))
                .isInstanceOfSatisfying(WsClient.HandshakeRefused.class, e -> assertThat(e.status).isEqualTo(status));
    }
}
