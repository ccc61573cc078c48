package io.sipai.gateway.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sipai.common.EndReason;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.MachineDetected;
import io.sipai.gateway.testing.FakeJambonz;
import io.sipai.gateway.testing.FakeTwilio;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import org.junit.jupiter.api.Test;

/**
 * A campaign's and a call's own overrides of the agent's recording and answering machine detection: resolved part by
 * part when the call is placed (the call's own over its campaign's over its agent's), carried to realtime-edge as
 * media connection parameters (TwiML {@code <Parameter>}s, the jambonz {@code listen} URL), and asking the
 * provider's own detection (Twilio async AMD, jambonz {@code amd}) where the resolved setting detects machines.
 */
class CallOverridesTest extends GatewayTest {

    @Test
    void aCampaignsOverridesReachTheEdgeAndTheProviderAndACallsOwnOverrideWinsPartByPart() {
        // given an agent that records and does not detect machines, and a campaign that turns both the other way
        String key = newTenant("overrides");
        Answer agent = call("POST", "/v1/agents", key, Map.of("name", "Recorder", "recording",
                Map.of("enabled", true)));
        Answer campaign = call("POST", "/v1/campaigns", key, Map.of("name", "Spring", "agentId",
                agent.json().get("id").stringValue(), "recording", Map.of("enabled", false), "voicemail",
                Map.of("detect", true, "action", "hangup")));
        assertThat(campaign.status()).isEqualTo(201);
        assertThat(campaign.json().get("recording").get("enabled").booleanValue()).isFalse();
        assertThat(campaign.json().get("voicemail").get("action").stringValue()).isEqualTo("hangup");
        String campaignId = campaign.json().get("id").stringValue();

        // when a call of the campaign is placed with nothing of its own, and another with its own recording
        String plain = placeTwilio(key, Map.of("campaignId", campaignId));
        String own = placeTwilio(key, Map.of("campaignId", campaignId, "recording",
                Map.of("enabled", true, "channels", "mixed")));

        // then Twilio is asked to detect machines for both, and the edge gets each call's resolved settings
        assertThat(originationForm(plain)).contains("MachineDetection=Enable");
        assertThat(originationForm(own)).contains("MachineDetection=Enable");
        assertThat(twiml(plain)).contains("<Parameter name=\"recording\" value=\"off\"/>")
                .contains("<Parameter name=\"voicemail\" value=\"hangup\"/>");
        assertThat(twiml(own)).contains("<Parameter name=\"recording\" value=\"mixed\"/>")
                .contains("<Parameter name=\"voicemail\" value=\"hangup\"/>");
    }

    @Test
    void aCallWithoutOverridesCarriesNoneAndAnAgentWithoutDetectionAsksNoProviderDetection() {
        // given
        String key = newTenant("no-overrides");
        // when
        String callId = placeTwilio(key, Map.of());
        // then
        assertThat(originationForm(callId)).doesNotContain("MachineDetection");
        assertThat(twiml(callId)).doesNotContain("name=\"recording\"").doesNotContain("name=\"voicemail\"");
    }

    @Test
    void anOverrideThatCannotWorkIsRefusedNamingItsField() {
        // given
        String key = newTenant("bad-overrides");
        // when
        Answer call = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", newAgent(key), "provider", "twilio", "voicemail",
                Map.of("detect", true, "action", "leave_message")));
        Answer campaign = call("POST", "/v1/campaigns", key, Map.of("name", "Bad", "recording",
                Map.of("enabled", true, "channels", "quad")));
        // then
        assertThat(call.status()).isEqualTo(422);
        assertThat(call.json().get("field").stringValue()).isEqualTo("voicemail.message");
        assertThat(campaign.status()).isEqualTo(400);
    }

    @Test
    void aJambonzCallDetectingMachinesGetsJambonzAmdAndItsMachineVerdictEndsTheCallVoicemail() {
        // given a call placed through jambonz whose own settings detect machines and hang up on them
        String key = newTenant("jambonz-amd");
        Answer placed = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", newAgent(key), "provider", "jambonz", "voicemail", Map.of("detect", true)));
        String callId = placed.json().get("id").stringValue();
        String sid = placed.json().get("providerCallSid").stringValue();

        // then jambonz was asked for its detection, with verdicts coming back to the gateway
        String create = FakeJambonz.REQUESTS.stream().filter(r -> r.body().contains(callId)).findFirst()
                .orElseThrow().body();
        assertThat(create).contains("\"amd\":{\"actionHook\":\"" + PUBLIC_BASE_URL
                + "/telephony/jambonz/amd?action=hangup\"}");
        // and the listen socket carries the call's setting to realtime-edge
        Answer verbs = signedJambonz("/telephony/jambonz/call", "{\"call_sid\":\"" + sid + "\",\"from\":\"+14155550199\","
                + "\"to\":\"+14155550100\",\"customerData\":{\"sipaiCallId\":\"" + callId + "\"}}");
        assertThat(URLDecoder.decode(verbs.response().body(), StandardCharsets.UTF_8)).contains("voicemail=hangup");

        // when jambonz says a person answered, nothing happens; when it says a machine did
        String verdict = "{\"call_sid\":\"" + sid + "\",\"customerData\":{\"sipaiCallId\":\"" + callId + "\"},";
        assertThat(signedJambonz("/telephony/jambonz/amd?action=hangup", verdict
                + "\"type\":\"amd_human_detected\"}").status()).isEqualTo(204);
        assertThat(signedJambonz("/telephony/jambonz/amd?action=hangup", verdict
                + "\"type\":\"amd_machine_detected\",\"reason\":\"long greeting\"}").status()).isEqualTo(204);

        // then the machine is in the log, the call ends VOICEMAIL, and jambonz is told to hang up
        assertThat(events(callId)).filteredOn(e -> e.getPayload() instanceof MachineDetected).singleElement()
                .satisfies(event -> assertThat(((MachineDetected) event.getPayload()).getDetail())
                        .isEqualTo("jambonz AnsweredBy=machine: long greeting"));
        assertThat(events(callId)).filteredOn(e -> e.getPayload() instanceof CallEnded).singleElement()
                .satisfies(event -> assertThat(((CallEnded) event.getPayload()).getReason())
                        .isEqualTo(EndReason.VOICEMAIL));
        assertThat(FakeJambonz.REQUESTS).anySatisfy(seen -> {
            assertThat(seen.method()).isEqualTo("PUT");
            assertThat(seen.path()).endsWith("/Calls/" + sid);
        });
    }

    private String placeTwilio(String key, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("to", "+14155550100", "from", "+14155550199",
                "provider", "twilio"));
        body.putAll(extra);
        if (!body.containsKey("campaignId")) {
            body.put("agentId", newAgent(key));
        }
        Answer placed = call("POST", "/v1/calls", key, body);
        assertThat(placed.status()).as(placed.response().body()).isEqualTo(202);
        return placed.json().get("id").stringValue();
    }

    private static String originationForm(String callId) {
        return URLDecoder.decode(FakeTwilio.REQUESTS.stream().filter(r -> r.body().contains(callId)).findFirst()
                .orElseThrow().body(), StandardCharsets.UTF_8);
    }

    private String twiml(String callId) {
        return signedTwilio("/telephony/twilio/voice?callId=" + callId, Map.of("CallSid", "CA" + callId
                .replace("-", ""), "From", "+14155550199", "To", "+14155550100")).response().body();
    }

    private static List<CallEvent> events(String callId) {
        return TestKafka.readAll(Topics.CALL_EVENTS).stream().filter(r -> callId.equals(r.getKey()))
                .map(Map.Entry::getValue).toList();
    }
}
