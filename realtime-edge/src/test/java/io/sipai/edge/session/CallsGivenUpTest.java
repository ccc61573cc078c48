package io.sipai.edge.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.EndReason;
import io.sipai.edge.events.CallEvents;
import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.schemas.telephony.TwilioSignature;
import io.sipai.testing.kafka.AdmissionResponder;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.testing.twilio.TwilioMessages;
import io.sipai.testing.ws.WsClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every call the edge gives up on ends in the log: an own-protocol call admission does not decide in time (the
 * client is refused with 1013, the call gets CallEnded ERROR, and the slot admission grants once it is back is
 * released), and a jambonz call whose listen socket ends before its metadata frame. And the edge writes one
 * CallEnded per call, with the call's one end eventId, however many ways its end is reported.
 */
class CallsGivenUpTest extends EdgeIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String LATE_KEY = "late-key-0001";

    @Test
    void anOwnProtocolCallAdmissionDoesNotDecideInTimeEndsInTheLogAndItsLateGrantIsReleased() {
        // given: admission is down for the tenant
        String callId = "late-" + UUID.randomUUID();
        AdmissionResponder.HELD.add(LATE_TENANT);
        // when: a call starts, is refused after EDGE_ADMISSION_TIMEOUT_MS, and admission then comes back
        try (WsClient client = WsClient.connect(ws("/realtime/voice?api_key=" + LATE_KEY))) {
            client.text("{\"t\":\"start\",\"callId\":\"" + callId + "\"}");
            JsonNode error = JSON.readTree(client.nextText());
            assertThat(error.path("code").asString()).isEqualTo("admission_unavailable");
            assertThat(client.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1013);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> TestKafka.eventTypes(callId).contains("CallEnded"));
        AdmissionResponder.answerHeld(LATE_TENANT);
        // then: the log holds the request, the edge's end, and admission's late grant, whose slot is released
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .containsExactly("CallRequested", "CallEnded", "CallAdmitted"));
        assertEndedOnceBy(callId, EndReason.ERROR, "admission_unavailable: no admission decision for call "
                + callId + " within 1500 ms (EDGE_ADMISSION_TIMEOUT_MS)");
        assertThat(AdmissionResponder.commandsFor(callId)).extracting(c -> c.getCommand().getClass().getSimpleName())
                .containsExactly("AcquireSlot", "ReleaseSlot");
        assertThat(AdmissionResponder.slotHeld(callId)).isFalse();
    }

    @Test
    void aClientThatLeavesWhileAdmissionIsDownStillHasItsCallEnded() {
        // given
        String callId = "left-" + UUID.randomUUID();
        AdmissionResponder.HELD.add(LATE_TENANT);
        // when: the client closes right after start, long before admission would have answered
        try (WsClient client = WsClient.connect(ws("/realtime/voice?api_key=" + LATE_KEY))) {
            client.text("{\"t\":\"start\",\"callId\":\"" + callId + "\"}");
            await().atMost(Duration.ofSeconds(5)).until(() -> TestKafka.eventTypes(callId).contains("CallRequested"));
        }
        // then
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .containsExactly("CallRequested", "CallEnded"));
        assertEndedOnceBy(callId, EndReason.ERROR, "admission_unavailable: no admission decision for call "
                + callId + " within 1500 ms (EDGE_ADMISSION_TIMEOUT_MS)");
        AdmissionResponder.answerHeld(LATE_TENANT);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .contains("CallAdmitted"));
        assertThat(AdmissionResponder.slotHeld(callId)).isFalse();
    }

    @Test
    void aJambonzListenSocketThatClosesBeforeItsMetadataEndsItsCallAndReleasesTheSlot() {
        // given: jambonz opened the listen socket of an admitted call
        String callId = "jb-gone-" + UUID.randomUUID();
        WsClient jambonz = WsClient.connect(ws(listenPath(callId)), Map.of(), List.of("audio.jambonz.org"));
        // when: it hangs up before sending the metadata frame
        jambonz.close();
        // then
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .containsExactly("CallEnded"));
        // (the test client's close may reach the edge as 1000 or, aborted right after, as 1006)
        assertThat(assertEndedOnceBy(callId, EndReason.CALLER_HANGUP).getDetail())
                .matches("connection closed before the call started \\(100[06]\\)");
        assertReleased(callId);
    }

    @Test
    void aJambonzMetadataFrameTheEdgeRefusesEndsTheCallAsAnError() {
        // given
        String callId = "jb-stereo-" + UUID.randomUUID();
        try (WsClient jambonz = WsClient.connect(ws(listenPath(callId)), Map.of(), List.of("audio.jambonz.org"))) {
            // when
            jambonz.text("{\"sampleRate\":8000,\"mixType\":\"stereo\",\"callSid\":\"cs-1\"}");
            // then
            assertThat(jambonz.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1008);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .containsExactly("CallEnded"));
        assertEndedOnceBy(callId, EndReason.ERROR, "protocol violation before the call started: mixType stereo is "
                + "not supported; use mono or mixed");
        assertReleased(callId);
    }

    @Test
    void aTwilioStopFollowedByTheSocketCloseEndsTheCallOnceWithItsEndEventId() {
        // given: a live Twilio call
        String callId = "tw-stop-" + UUID.randomUUID();
        String path = "/telephony/twilio/stream";
        String signature = new TwilioSignature(TWILIO_TOKEN).sign("ws://127.0.0.1:" + port + path);
        try (WsClient twilio = WsClient.connect(ws(path), Map.of("X-Twilio-Signature", signature), List.of())) {
            twilio.text(TwilioMessages.CONNECTED);
            twilio.text(TwilioMessages.start(TOKEN_SECRET, callId, "acme", "agent-1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> TestKafka.eventTypes(callId).contains("CallStarted"));
            // when: Twilio says stop, and the socket closes from both sides
            twilio.text("{\"event\":\"stop\",\"streamSid\":\"MZ1\",\"stop\":{\"callSid\":\"CA1\"}}");
            assertThat(twilio.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1000);
        }
        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> TestKafka.eventTypes(callId).contains("CallEnded"));
        assertEndedOnceBy(callId, EndReason.CALLER_HANGUP, "stream stopped");
    }

    private String listenPath(String callId) {
        return "/telephony/jambonz/listen?callId=" + callId + "&tenantId=acme&agentId=agent-1&token="
                + token(callId, "acme", "agent-1");
    }

    /** One CallEnded (after a moment for any second one), with the reason, the detail and the end eventId. */
    private static void assertEndedOnceBy(String callId, EndReason reason, String detail) {
        assertThat(assertEndedOnceBy(callId, reason).getDetail()).isEqualTo(detail);
    }

    /** One CallEnded (after a moment for any second one), with the reason and the end eventId; returns it. */
    private static CallEnded assertEndedOnceBy(String callId, EndReason reason) {
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> TestKafka.events(callId)
                .stream().filter(e -> e.getPayload() instanceof CallEnded).count() == 1);
        CallEvent event = TestKafka.events(callId).stream().filter(e -> e.getPayload() instanceof CallEnded)
                .findFirst().orElseThrow();
        CallEnded ended = (CallEnded) event.getPayload();
        assertThat(ended.getReason()).isEqualTo(reason);
        assertThat(event.getEventId()).isEqualTo(CallEvents.endedEventId(callId));
        return ended;
    }

    private static void assertReleased(String callId) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(AdmissionResponder.commandsFor(callId))
                .extracting(AdmissionCommand::getCommand).anyMatch(ReleaseSlot.class::isInstance));
    }
}
