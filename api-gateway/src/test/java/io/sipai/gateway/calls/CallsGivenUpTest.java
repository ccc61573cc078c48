package io.sipai.gateway.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.runtime.events.CallEventEnvelope;
import io.sipai.testing.kafka.AdmissionResponder;
import io.sipai.testing.kafka.TestKafka;
import org.junit.jupiter.api.Test;

/**
 * Every call the gateway gives up on after it wrote the call's CallRequested ends in the log, and the gateway ends a
 * call at most once: {@code POST /v1/calls} and the inbound call webhooks while admission does not decide (then
 * comes back and grants late), and the final statuses of a provider call.
 */
class CallsGivenUpTest extends GatewayTest {

    private static final String NO_DECISION = "admission_unavailable: no admission decision for call %s within 1500 ms"
            + " (API_ADMISSION_TIMEOUT_MS)";

    @Test
    void anOutboundCallAdmissionDoesNotDecideInTimeAnswers503EndsInTheLogAndItsLateGrantIsReleased() {
        // given: admission is down for the tenant
        String key = newTenant("late-outbound");
        String agent = newAgent(key);
        String tenantId = tenantOf(key);
        AdmissionResponder.HELD.add(tenantId);
        // when: a call is placed, refused after API_ADMISSION_TIMEOUT_MS, and admission then comes back
        Answer placed = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", agent));
        String callId = placed.json().get("callId").stringValue();
        await().atMost(Duration.ofSeconds(10)).until(() -> TestKafka.eventTypes(callId).contains("CallEnded"));
        AdmissionResponder.answerHeld(tenantId);
        // then
        assertThat(placed.status()).isEqualTo(503);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .containsExactly("CallRequested", "CallEnded", "CallAdmitted"));
        assertEndedOnceByTheGateway(callId, EndReason.ERROR, NO_DECISION.formatted(callId));
        assertThat(AdmissionResponder.commandsFor(callId)).extracting(c -> c.getCommand().getClass().getSimpleName())
                .containsExactly("AcquireSlot", "ReleaseSlot");
        assertThat(AdmissionResponder.slotHeld(callId)).isFalse();
        assertThat(call("GET", "/v1/calls/" + callId, key, null).json().get("status").stringValue())
                .isEqualTo("ENDED");
    }

    @Test
    void anInboundJambonzCallAdmissionDoesNotDecideInTimeIsDeclinedEndedAndStaysDeclinedWhenRetried() {
        // given
        String tenantId = tenantOf(newTenant("late-jambonz"));
        AdmissionResponder.HELD.add(tenantId);
        String callSid = UUID.randomUUID().toString();
        String callId = CallEventEnvelope.stableId("JAMBONZ", callSid);
        String hook = "{\"call_sid\":\"" + callSid + "\",\"from\":\"+1\",\"to\":\"+2\"}";
        // when: jambonz announces the call, and retries the hook after admission came back
        Answer declined = signedJambonz("/telephony/jambonz/call?tenant=" + tenantId, hook);
        AdmissionResponder.answerHeld(tenantId);
        Answer retried = signedJambonz("/telephony/jambonz/call?tenant=" + tenantId, hook);
        // then: both answers decline, and the call ended once, without a second request for a slot
        assertThat(declined.json().get(1).get("verb").stringValue()).isEqualTo("hangup");
        assertThat(retried.json().get(1).get("verb").stringValue()).isEqualTo("hangup");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .containsExactly("CallRequested", "CallEnded", "CallAdmitted"));
        assertEndedOnceByTheGateway(callId, EndReason.ERROR, NO_DECISION.formatted(callId));
        assertThat(AdmissionResponder.commandsFor(callId)).extracting(c -> c.getCommand().getClass().getSimpleName())
                .containsExactly("AcquireSlot", "ReleaseSlot");
    }

    @Test
    void anInboundTwilioCallAdmissionDoesNotDecideInTimeIsRejectedAndEnded() {
        // given
        String tenantId = tenantOf(newTenant("late-twilio"));
        AdmissionResponder.HELD.add(tenantId);
        String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
        String callId = CallEventEnvelope.stableId("TWILIO", callSid);
        // when
        Answer answer = signedTwilio("/telephony/twilio/voice?tenant=" + tenantId, Map.of("CallSid", callSid,
                "From", "+14155550100", "To", "+14155550199"));
        // then
        assertThat(answer.response().body()).contains("<Reject");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TestKafka.eventTypes(callId))
                .containsExactly("CallRequested", "CallEnded"));
        assertEndedOnceByTheGateway(callId, EndReason.ERROR, NO_DECISION.formatted(callId));
        AdmissionResponder.answerHeld(tenantId);
    }

    @Test
    void everyFinalStatusOfAProviderCallCarriesTheCallsOneEndEventId() {
        // given: an inbound call Twilio announced
        String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
        String callId = CallEventEnvelope.stableId("TWILIO", callSid);
        assertThat(signedTwilio("/telephony/twilio/voice", Map.of("CallSid", callSid, "From", "+14155550100",
                "To", "+14155550199")).status()).isEqualTo(200);
        // when: Twilio reports it canceled, then (a status callback out of order) completed, and retries that
        for (String status : List.of("canceled", "completed", "completed")) {
            assertThat(signedTwilio("/telephony/twilio/status", Map.of("CallSid", callSid, "CallStatus", status,
                    "CallDuration", "3")).status()).isEqualTo(204);
        }
        // then: three records, one end: every one carries the call's end eventId, so downstream keeps the first
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ends(callId)).hasSize(3));
        assertThat(ends(callId)).extracting(CallEvent::getEventId).containsOnly(CallEnds.eventId(callId));
        assertThat(((CallEnded) ends(callId).getFirst().getPayload()).getReason()).isEqualTo(EndReason.FAILED);
    }

    private static List<CallEvent> ends(String callId) {
        return TestKafka.events(callId).stream().filter(e -> e.getPayload() instanceof CallEnded).toList();
    }

    /** One CallEnded, by the gateway, with the reason, the detail and the call's end eventId. */
    private static void assertEndedOnceByTheGateway(String callId, EndReason reason, String detail) {
        assertThat(ends(callId)).singleElement().satisfies(event -> {
            assertThat(event.getSource()).isEqualTo(EventSource.API_GATEWAY);
            assertThat(event.getEventId()).isEqualTo(CallEnds.eventId(callId));
            assertThat(((CallEnded) event.getPayload()).getReason()).isEqualTo(reason);
            assertThat(((CallEnded) event.getPayload()).getDetail()).isEqualTo(detail);
            assertThat(((CallEnded) event.getPayload()).getDurationMs()).isGreaterThanOrEqualTo(1500L);
        });
    }
}
