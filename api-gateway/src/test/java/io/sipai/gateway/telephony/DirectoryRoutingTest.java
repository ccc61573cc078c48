package io.sipai.gateway.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.sipai.gateway.testing.GatewayTest;
import io.sipai.runtime.events.CallEventEnvelope;
import io.sipai.testing.kafka.AdmissionResponder;
import org.junit.jupiter.api.Test;

/**
 * Inbound calls routed by the phone-number directory: a webhook URL without a tenant gets the tenant and agent of
 * the called number, a URL naming a tenant keeps precedence, and an unlisted number keeps the defaults.
 */
class DirectoryRoutingTest extends GatewayTest {

    @Test
    void givenADirectoryNumber_whenTwilioCallsItWithoutATenant_thenTheCallIsAdmittedForTheNumbersTenantAndAgent() {
        // given
        String key = newTenant("directory-twilio");
        String tenantId = tenantOf(key);
        String agent = newAgent(key);
        String number = claim(key, agent);
        String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
        String callId = CallEventEnvelope.stableId("TWILIO", callSid);
        // when: the URL names an agent but no tenant; the directory's agent wins with its tenant
        Answer answer = signedTwilio("/telephony/twilio/voice?agent=agt_url", Map.of("CallSid", callSid,
                "From", "+14155550100", "To", number));
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        assertThat(answer.response().body()).contains("<Parameter name=\"callId\" value=\"" + callId + "\"/>")
                .contains("<Parameter name=\"tenantId\" value=\"" + tenantId + "\"/>")
                .contains("<Parameter name=\"agentId\" value=\"" + agent + "\"/>")
                .contains("<Parameter name=\"to\" value=\"" + number + "\"/>");
        Answer stored = call("GET", "/v1/calls/" + callId, key, null);
        assertThat(stored.status()).as(stored.response().body()).isEqualTo(200);
        assertThat(stored.json().get("tenantId").stringValue()).isEqualTo(tenantId);
        assertThat(stored.json().get("agentId").stringValue()).isEqualTo(agent);
        assertThat(stored.json().get("direction").stringValue()).isEqualTo("INBOUND");
        assertThat(AdmissionResponder.SEEN).anySatisfy(command -> {
            assertThat(command.getCallId()).isEqualTo(callId);
            assertThat(command.getTenantId()).isEqualTo(tenantId);
        });
    }

    @Test
    void givenADirectoryNumber_whenJambonzSendsItAsASipUriWithoutPlus_thenItIsFoundForItsTenantAndAgent() {
        // given
        String key = newTenant("directory-jambonz");
        String agent = newAgent(key);
        String number = claim(key, agent);
        String callSid = UUID.randomUUID().toString();
        String body = "{\"call_sid\":\"" + callSid + "\",\"direction\":\"inbound\",\"from\":\"+441173185201\","
                + "\"to\":\"sip:" + number.substring(1) + "@sbc.example.com;user=phone\",\"call_status\":\"trying\"}";
        // when
        Answer answer = signedJambonz("/telephony/jambonz/call", body);
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        var metadata = answer.json().get(1).get("metadata");
        assertThat(metadata.get("tenantId").stringValue()).isEqualTo(tenantOf(key));
        assertThat(metadata.get("agentId").stringValue()).isEqualTo(agent);
    }

    @Test
    void aUrlNamingATenantKeepsPrecedenceAndAnUnlistedNumberKeepsTheDefaults() {
        // given
        String key = newTenant("directory-precedence");
        String number = claim(key, newAgent(key));
        // when
        Answer named = signedTwilio("/telephony/twilio/voice?tenant=default&agent=agt_url", Map.of(
                "CallSid", "CA" + UUID.randomUUID().toString().replace("-", ""), "From", "+14155550100",
                "To", number));
        Answer unlisted = signedTwilio("/telephony/twilio/voice", Map.of(
                "CallSid", "CA" + UUID.randomUUID().toString().replace("-", ""), "From", "+14155550100",
                "To", "+3" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 10_000_000_000L)));
        // then
        assertThat(named.response().body()).contains("<Parameter name=\"tenantId\" value=\"default\"/>")
                .contains("<Parameter name=\"agentId\" value=\"agt_url\"/>");
        assertThat(unlisted.response().body()).contains("<Parameter name=\"tenantId\" value=\"default\"/>")
                .doesNotContain("<Parameter name=\"agentId\"");
    }

    /** Claims a fresh +49 number for the agent; returns it. */
    private String claim(String key, String agent) {
        String number = "+49" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 10_000_000_000L);
        Answer claimed = call("POST", "/v1/phone-numbers", key, Map.of("number", number, "agentId", agent));
        assertThat(claimed.status()).as(claimed.response().body()).isEqualTo(201);
        return number;
    }
}
