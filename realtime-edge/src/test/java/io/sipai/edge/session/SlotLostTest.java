package io.sipai.edge.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.admission.Heartbeat;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.EndReason;
import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.events.CallEnded;
import io.sipai.schemas.telephony.TwilioSignature;
import io.sipai.testing.kafka.AdmissionResponder;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.testing.twilio.TwilioMessages;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A live call whose heartbeat admission answers {@code Rejected(ALREADY_RELEASED)} (it freed the slot, e.g. after
 * declaring this node lost) ends at once on every transport: CallEnded SLOT_EXPIRED with a detail saying so, the
 * socket closed with 4010 (own protocol: after an {@code ended} message), and no ReleaseSlot for a slot that is gone.
 */
class SlotLostTest extends EdgeIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Heartbeats come every second in the test context; the answer needs a round trip more. */
    private static final Duration ENDS_WITHIN = Duration.ofSeconds(10);

    @Test
    void anOwnProtocolCallGetsEndedAndIsClosedWith4010() {
        // given
        String callId = "lost-ws-" + UUID.randomUUID();
        try (WsClient client = WsClient.connect(ws("/realtime/voice?api_key=" + ACME_KEY))) {
            client.text("{\"t\":\"start\",\"callId\":\"" + callId + "\"}");
            assertThat(JSON.readTree(client.nextText()).path("t").asString()).isEqualTo("connected");
            // when
            AdmissionResponder.LOST.add(callId);
            // then
            WsClient.Close close = client.awaitClose(ENDS_WITHIN);
            assertThat(close.code()).isEqualTo(4010);
            JsonNode ended = JSON.readTree(client.texts.stream().filter(text -> text.contains("\"ended\""))
                    .findFirst().orElseThrow());
            assertThat(ended.path("callId").asString()).isEqualTo(callId);
            assertThat(ended.path("code").asInt()).isEqualTo(4010);
            assertThat(ended.path("reason").asString()).isEqualTo("slot lost");
        }
        assertEndedSlotExpiredWithoutRelease(callId);
    }

    @Test
    void aTwilioStreamIsClosedWith4010() {
        // given
        String callId = "lost-tw-" + UUID.randomUUID();
        String path = "/telephony/twilio/stream";
        String signature = new TwilioSignature(TWILIO_TOKEN).sign("ws://127.0.0.1:" + port + path);
        try (WsClient twilio = WsClient.connect(ws(path), Map.of("X-Twilio-Signature", signature), List.of())) {
            twilio.text(TwilioMessages.CONNECTED);
            twilio.text(TwilioMessages.start(TOKEN_SECRET, callId, "acme", "agent-1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> TestKafka.eventTypes(callId).contains("CallStarted"));
            // when
            AdmissionResponder.LOST.add(callId);
            // then
            assertThat(twilio.awaitClose(ENDS_WITHIN).code()).isEqualTo(4010);
        }
        assertEndedSlotExpiredWithoutRelease(callId);
    }

    @Test
    void aJambonzListenSocketIsClosedWith4010() {
        // given
        String callId = "lost-jb-" + UUID.randomUUID();
        String path = "/telephony/jambonz/listen?callId=" + callId + "&tenantId=acme&agentId=agent-1&token="
                + token(callId, "acme", "agent-1");
        try (WsClient jambonz = WsClient.connect(ws(path), Map.of(), List.of("audio.jambonz.org"))) {
            jambonz.text("{\"sampleRate\":8000,\"mixType\":\"mono\",\"callSid\":\"cs-1\",\"direction\":\"inbound\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> TestKafka.eventTypes(callId).contains("CallStarted"));
            // when
            AdmissionResponder.LOST.add(callId);
            // then
            assertThat(jambonz.awaitClose(ENDS_WITHIN).code()).isEqualTo(4010);
        }
        assertEndedSlotExpiredWithoutRelease(callId);
    }

    private static void assertEndedSlotExpiredWithoutRelease(String callId) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .last().isEqualTo("CallEnded"));
        CallEnded ended = (CallEnded) TestKafka.events(callId).getLast().getPayload();
        assertThat(ended.getReason()).isEqualTo(EndReason.SLOT_EXPIRED);
        assertThat(ended.getDetail()).startsWith("admission no longer holds the slot: no slot held for call "
                + callId);
        await().during(Duration.ofMillis(500)).untilAsserted(() -> assertThat(AdmissionResponder.commandsFor(callId))
                .anyMatch(c -> c.getCommand() instanceof Heartbeat)
                .noneMatch(c -> c.getCommand() instanceof ReleaseSlot));
        assertThat(TestKafka.eventTypes(callId).stream().filter("CallEnded"::equals)).hasSize(1);
    }
}
