package io.sipai.gateway.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.common.AdmissionLimit;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallAnswered;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.MachineDetected;
import io.sipai.gateway.testing.FakeJambonz;
import io.sipai.gateway.testing.FakeTwilio;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.runtime.events.CallEventEnvelope;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.AdmissionResponder;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Calls through the providers' REST APIs (local fakes speaking Twilio's Call resource and jambonz's create-call
 * protocol), {@code POST /v1/calls/{id}/hangup}, and provider status callbacks turned into call events.
 */
class ProviderCallsTest extends GatewayTest {

    @Test
    void twilioOriginationPostsTheCallResourceAsAFormWithBasicAuth() {
        // given
        String key = newTenant("twilio-out");
        String agent = newAgent(key);
        // when
        Answer placed = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", agent, "provider", "twilio"));
        // then
        assertThat(placed.status()).as(placed.response().body()).isEqualTo(202);
        String callId = placed.json().get("id").stringValue();
        String sid = placed.json().get("providerCallSid").stringValue();
        assertThat(sid).matches("CA[0-9a-f]{32}");
        FakeTwilio.Seen create = FakeTwilio.REQUESTS.stream().filter(r -> r.body().contains(callId)).findFirst()
                .orElseThrow();
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.path()).isEqualTo("/2010-04-01/Accounts/ACtest/Calls.json");
        assertThat(create.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(create.authorization()).isEqualTo("Basic QUN0ZXN0OjEyMzQ1"); // base64("ACtest:12345")
        List<Map.Entry<String, String>> form = form(create.body());
        assertThat(form).contains(Map.entry("To", "+14155550100"), Map.entry("From", "+14155550199"),
                Map.entry("Url", PUBLIC_BASE_URL + "/telephony/twilio/voice?callId=" + callId),
                Map.entry("StatusCallback", PUBLIC_BASE_URL + "/telephony/twilio/status?callId=" + callId));
        assertThat(form).filteredOn(e -> e.getKey().equals("StatusCallbackEvent")).extracting(Map.Entry::getValue)
                .containsExactly("initiated", "ringing", "answered", "completed");
    }

    @Test
    void hangupOfATwilioCallUpdatesTheCallResourceToCompleted() {
        // given
        String key = newTenant("twilio-hangup");
        Answer placed = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", newAgent(key), "provider", "twilio"));
        String sid = placed.json().get("providerCallSid").stringValue();
        // when
        Answer hangup = call("POST", "/v1/calls/" + placed.json().get("id").stringValue() + "/hangup", key, null);
        // then
        assertThat(hangup.status()).as(hangup.response().body()).isEqualTo(202);
        assertThat(FakeTwilio.REQUESTS).anySatisfy(seen -> {
            assertThat(seen.path()).isEqualTo("/2010-04-01/Accounts/ACtest/Calls/" + sid + ".json");
            assertThat(form(seen.body())).containsExactly(Map.entry("Status", "completed"));
        });
    }

    @Test
    void hangupOfAJambonzCallPutsCompletedOnTheCall() {
        // given
        String key = newTenant("jambonz-hangup");
        Answer placed = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", newAgent(key), "provider", "jambonz"));
        String sid = placed.json().get("providerCallSid").stringValue();
        // when
        Answer hangup = call("POST", "/v1/calls/" + placed.json().get("id").stringValue() + "/hangup", key, null);
        // then
        assertThat(hangup.status()).isEqualTo(202);
        assertThat(hangup.json().get("id").stringValue()).isEqualTo(placed.json().get("id").stringValue());
        assertThat(FakeJambonz.REQUESTS).anySatisfy(seen -> {
            assertThat(seen.method()).isEqualTo("PUT");
            assertThat(seen.path()).isEqualTo("/v1/Accounts/acct-1/Calls/" + sid);
            assertThat(seen.body()).isEqualTo("{\"call_status\":\"completed\"}");
        });
    }

    @Test
    void hangupOfARejectedCallIs409AndOfAnotherTenantsCall404AndNeedsWriteScope() {
        // given
        String key = newTenant("hangup-refused");
        String agent = newAgent(key);
        String callId = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", agent)).json().get("id").stringValue();
        AdmissionResponder.REJECT.put(tenantOf(key), AdmissionLimit.TENANT);
        String rejectedId = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", agent)).json().get("callId").stringValue();
        // when
        Answer over = call("POST", "/v1/calls/" + rejectedId + "/hangup", key, null);
        Answer foreign = call("POST", "/v1/calls/" + callId + "/hangup", newTenant("hangup-stranger"), null);
        Answer readOnly = call("POST", "/v1/calls/" + callId + "/hangup", newKey(key, List.of("read")), null);
        // then
        assertThat(over.status()).isEqualTo(409);
        assertThat(over.json().get("type").stringValue()).endsWith("/conflict");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(readOnly.status()).isEqualTo(403);
    }

    @Test
    void hangupOfACallWithoutAProviderPublishesCallEndedApiHangup() {
        // given: a call realtime-edge took over its own WebSocket protocol, known from its projected timeline
        String key = newTenant("hangup-websocket");
        String tenantId = tenantOf(key);
        String callId = UUID.randomUUID().toString();
        TestKafka.produce(Topics.CALL_TIMELINE, callId, List.of(CallTimeline.newBuilder().setCallId(callId)
                .setTenantId(tenantId).setStatus(CallStatus.IN_PROGRESS).setDirection(CallDirection.INBOUND)
                .setTransport(Transport.WEBSOCKET).setRequestedAt(Instant.now()).setEntryCount(2)
                .setLastEventId("e2").setLastEventAt(Instant.now()).setVersion(2).build()));
        await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", "/v1/calls/" + callId, key, null)
                .status() == 200);
        // when
        Answer hangup = call("POST", "/v1/calls/" + callId + "/hangup", key, null);
        // then
        assertThat(hangup.status()).as(hangup.response().body()).isEqualTo(202);
        assertThat(hangup.json().has("provider")).isFalse();
        assertThat(events(callId)).filteredOn(e -> e.getPayload() instanceof CallEnded).singleElement()
                .satisfies(event -> {
                    assertThat(((CallEnded) event.getPayload()).getReason()).isEqualTo(EndReason.API_HANGUP);
                    assertThat(event.getTenantId()).isEqualTo(tenantId);
                    assertThat(event.getSource()).isEqualTo(EventSource.API_GATEWAY);
                    assertThat(event.getEventId()).isEqualTo(CallEventEnvelope.stableId(callId, "api-hangup"));
                });
    }

    @ParameterizedTest(name = "Twilio CallStatus {0} -> CallEnded {1}")
    @CsvSource({"completed, CALLER_HANGUP, 42000", "busy, BUSY, 0", "no-answer, NO_ANSWER, 0", "failed, FAILED, 0",
            "canceled, FAILED, 0"})
    void twilioFinalStatusesBecomeCallEndedWithTheMatchingReason(String status, EndReason reason, long durationMs) {
        // given: an inbound call Twilio announced
        String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
        assertThat(signedTwilio("/telephony/twilio/voice", Map.of("CallSid", callSid, "From", "+1415555"
                + "0100", "To", "+14155550199")).status()).isEqualTo(200);
        // when
        Answer callback = signedTwilio("/telephony/twilio/status", Map.of("CallSid", callSid, "CallStatus", status,
                "CallDuration", "42"));
        // then
        assertThat(callback.status()).isEqualTo(204);
        assertThat(events(CallEventEnvelope.stableId("TWILIO", callSid)))
                .filteredOn(e -> e.getPayload() instanceof CallEnded).singleElement().satisfies(event -> {
                    CallEnded ended = (CallEnded) event.getPayload();
                    assertThat(ended.getReason()).isEqualTo(reason);
                    assertThat(ended.getDurationMs()).isEqualTo(durationMs);
                });
    }

    @Test
    void anAgentDetectingVoicemailGetsTwiliosAsyncDetectionAndAMachineVerdictEndsTheCallVoicemail() {
        // given an agent that hangs up on machines, calling out through Twilio
        String key = newTenant("twilio-amd");
        Answer agent = call("POST", "/v1/agents", key, Map.of("name", "Dialer", "voicemail",
                Map.of("detect", true, "action", "hangup")));
        Answer placed = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", agent.json().get("id").stringValue(), "provider", "twilio"));
        String callId = placed.json().get("id").stringValue();
        String sid = placed.json().get("providerCallSid").stringValue();

        // then the call was placed with asynchronous detection, its verdict coming back to the gateway
        String amd = "/telephony/twilio/amd?callId=" + callId + "&action=hangup";
        List<Map.Entry<String, String>> form = form(FakeTwilio.REQUESTS.stream()
                .filter(r -> r.body().contains(callId)).findFirst().orElseThrow().body());
        assertThat(form).contains(Map.entry("MachineDetection", "Enable"), Map.entry("AsyncAmd", "true"),
                Map.entry("AsyncAmdStatusCallback", PUBLIC_BASE_URL + amd),
                Map.entry("AsyncAmdStatusCallbackMethod", "POST"));

        // when Twilio says a person answered, nothing happens; when it says a machine did
        assertThat(signedTwilio(amd, Map.of("CallSid", sid, "AnsweredBy", "human",
                "MachineDetectionDuration", "1200")).status()).isEqualTo(204);
        Answer verdict = signedTwilio(amd, Map.of("CallSid", sid, "AnsweredBy", "machine_start",
                "MachineDetectionDuration", "2350"));

        // then the machine is in the log, the call ends VOICEMAIL, and Twilio is told to hang up
        assertThat(verdict.status()).isEqualTo(204);
        assertThat(events(callId)).filteredOn(e -> e.getPayload() instanceof MachineDetected).singleElement()
                .satisfies(event -> {
                    MachineDetected machine = (MachineDetected) event.getPayload();
                    assertThat(machine.getMethod()).isEqualTo("provider");
                    assertThat(machine.getDetail()).isEqualTo("twilio AnsweredBy=machine_start");
                    assertThat(machine.getAfterMs()).isEqualTo(2350);
                    assertThat(event.getSource()).isEqualTo(EventSource.TWILIO);
                });
        assertThat(events(callId)).filteredOn(e -> e.getPayload() instanceof CallEnded).singleElement()
                .satisfies(event -> {
                    assertThat(((CallEnded) event.getPayload()).getReason()).isEqualTo(EndReason.VOICEMAIL);
                    assertThat(event.getEventId()).isEqualTo(CallEnds.eventId(callId));
                });
        assertThat(FakeTwilio.REQUESTS).anySatisfy(seen -> {
            assertThat(seen.path()).isEqualTo("/2010-04-01/Accounts/ACtest/Calls/" + sid + ".json");
            assertThat(form(seen.body())).containsExactly(Map.entry("Status", "completed"));
        });
    }

    @Test
    void anOutboundCallIsAnsweredByItsProvidersInProgressStatus() {
        // given
        String key = newTenant("twilio-answer");
        Answer placed = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", newAgent(key), "provider", "twilio"));
        String callId = placed.json().get("id").stringValue();
        String sid = placed.json().get("providerCallSid").stringValue();
        // when
        Answer callback = signedTwilio("/telephony/twilio/status?callId=" + callId, Map.of("CallSid", sid,
                "CallStatus", "in-progress"));
        // then
        assertThat(callback.status()).isEqualTo(204);
        assertThat(events(callId)).filteredOn(e -> e.getPayload() instanceof CallAnswered).singleElement()
                .satisfies(event -> assertThat(event.getSource()).isEqualTo(EventSource.TWILIO));
    }

    @Test
    void jambonzCompletedEndsOnceEvenWhenRetriedAndInProgressLeavesAnInboundAnswerToTheEdge() {
        // given
        String callSid = UUID.randomUUID().toString();
        signedJambonz("/telephony/jambonz/call", "{\"call_sid\":\"" + callSid + "\",\"from\":\"+1\",\"to\":\"+2\"}");
        String callId = CallEventEnvelope.stableId("JAMBONZ", callSid);
        String completed = "{\"call_sid\":\"" + callSid + "\",\"call_status\":\"completed\",\"duration\":7}";
        // when
        signedJambonz("/telephony/jambonz/status", completed.replace("completed\",\"duration\":7", "ringing\""));
        signedJambonz("/telephony/jambonz/status", completed.replace("completed\",\"duration\":7", "in-progress\""));
        signedJambonz("/telephony/jambonz/status", completed);
        signedJambonz("/telephony/jambonz/status", completed);
        // then: ringing means nothing, in-progress of an inbound call too (realtime-edge answers it when the agent
        // picks up); a retried callback keeps its eventId, so downstream dedupes it
        List<CallEvent> events = events(callId);
        assertThat(events).filteredOn(e -> e.getPayload() instanceof CallAnswered).isEmpty();
        List<CallEvent> ended = events.stream().filter(e -> e.getPayload() instanceof CallEnded).toList();
        assertThat(ended).hasSize(2).extracting(CallEvent::getEventId).containsOnly(ended.getFirst().getEventId());
        assertThat(((CallEnded) ended.getFirst().getPayload()).getDurationMs()).isEqualTo(7_000L);
        assertThat(((CallEnded) ended.getFirst().getPayload()).getReason()).isEqualTo(EndReason.CALLER_HANGUP);
    }

    @Test
    void aStatusCallbackForAnUnknownCallPublishesNothing() {
        String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
        Answer callback = signedTwilio("/telephony/twilio/status", Map.of("CallSid", callSid,
                "CallStatus", "completed"));
        assertThat(callback.status()).isEqualTo(204);
        assertThat(events(CallEventEnvelope.stableId("TWILIO", callSid))).isEmpty();
    }

    private static List<CallEvent> events(String callId) {
        return TestKafka.readAll(Topics.CALL_EVENTS).stream().filter(r -> callId.equals(r.getKey()))
                .map(Map.Entry::getValue).toList();
    }

    private static List<Map.Entry<String, String>> form(String body) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.add(Map.entry(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
        }
        return out;
    }
}
