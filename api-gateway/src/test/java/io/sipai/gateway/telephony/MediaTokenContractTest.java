package io.sipai.gateway.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;

import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.telephony.TelephonyToken.Check;
import io.sipai.schemas.telephony.TelephonyToken;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

/**
 * The media connection api-gateway hands to the providers is exactly what realtime-edge lets in: the jambonz
 * {@code listen} URL query and the Twilio {@code <Parameter>}s carry callId, tenantId, token (and the optional ids),
 * and the token verifies with the shared {@link TelephonyToken} for that call and tenant only, and binds the call's
 * agent (the edge serves the agent the token names).
 */
class MediaTokenContractTest extends GatewayTest {

    private static final TelephonyToken EDGE = new TelephonyToken(TOKEN_SECRET);

    @Test
    void inboundJambonzListenUrlCarriesTheIdsAndATokenTheEdgeAccepts() {
        // given
        String body = "{\"call_sid\":\"" + UUID.randomUUID() + "\",\"direction\":\"inbound\","
                + "\"from\":\"+441173185201\",\"to\":\"+441303763875\"}";
        // when
        Answer answer = signedJambonz("/telephony/jambonz/call?agent=agent-7", body);
        // then
        JsonNode listen = answer.json().get(1);
        URI url = URI.create(listen.get("url").stringValue());
        assertThat(url.getPath()).isEqualTo("/telephony/jambonz/listen");
        Map<String, String> query = query(url.getRawQuery());
        assertThat(query).containsEntry("tenantId", "default").containsEntry("agentId", "agent-7")
                .containsEntry("direction", "inbound").containsEntry("from", "+441173185201")
                .containsEntry("to", "+441303763875").containsKeys("callId", "token");
        assertThat(query.keySet()).isSubsetOf(TelephonyToken.PARAMS);
        assertTokenIsForExactly(query);
        assertThat(listen.get("metadata").get("callId").stringValue()).isEqualTo(query.get("callId"));
    }

    @Test
    void inboundTwilioStreamParametersCarryTheIdsAndATokenTheEdgeAccepts() throws Exception {
        // given
        Map<String, String> form = new LinkedHashMap<>();
        form.put("CallSid", "CA" + UUID.randomUUID().toString().replace("-", ""));
        form.put("From", "+14155550100");
        form.put("To", "+14155550199");
        // when
        Answer answer = signedTwilio("/telephony/twilio/voice?agent=agent-9", form);
        // then
        Document twiml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(
                answer.response().body().getBytes(StandardCharsets.UTF_8)));
        Element stream = (Element) twiml.getElementsByTagName("Stream").item(0);
        assertThat(stream.getAttribute("url")).endsWith("/telephony/twilio/stream");
        Map<String, String> parameters = new LinkedHashMap<>();
        NodeList nodes = stream.getElementsByTagName("Parameter");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element parameter = (Element) nodes.item(i);
            parameters.put(parameter.getAttribute("name"), parameter.getAttribute("value"));
        }
        assertThat(parameters).containsEntry("tenantId", "default").containsEntry("agentId", "agent-9")
                .containsEntry("direction", "inbound").containsEntry("from", "+14155550100")
                .containsEntry("to", "+14155550199").containsKeys("callId", "token");
        assertThat(parameters.keySet()).isSubsetOf(TelephonyToken.PARAMS);
        assertTokenIsForExactly(parameters);
    }

    @Test
    void anOutboundCallAnsweredByJambonzConnectsWithItsOwnTenantAndDirection() {
        // given: a call the API placed through jambonz, which then calls the call_hook with our id
        String key = newTenant("media-outbound");
        String agent = newAgent(key);
        String callId = call("POST", "/v1/calls", key, Map.of("to", "+14155550100", "from", "+14155550199",
                "agentId", agent)).json().get("id").stringValue();
        String body = "{\"call_sid\":\"" + UUID.randomUUID() + "\",\"direction\":\"outbound\","
                + "\"from\":\"+14155550199\",\"to\":\"+14155550100\","
                + "\"customerData\":{\"sipaiCallId\":\"" + callId + "\"}}";
        // when
        Answer answer = signedJambonz("/telephony/jambonz/call", body);
        // then
        Map<String, String> query = query(URI.create(answer.json().get(1).get("url").stringValue()).getRawQuery());
        assertThat(query).containsEntry("callId", callId).containsEntry("tenantId", tenantOf(key))
                .containsEntry("agentId", agent).containsEntry("direction", "outbound");
        assertTokenIsForExactly(query);
    }

    private static void assertTokenIsForExactly(Map<String, String> params) {
        Instant now = Instant.now();
        String callId = params.get("callId");
        String tenantId = params.get("tenantId");
        String token = params.get("token");
        assertThat(EDGE.verify(callId, tenantId, token, now).check()).isEqualTo(Check.VALID);
        assertThat(EDGE.verify(callId, tenantId, token, now).agentId()).isEqualTo(params.get("agentId"));
        assertThat(EDGE.verify(callId, tenantId + "x", token, now).check()).isEqualTo(Check.WRONG_CALL);
        assertThat(EDGE.verify(callId + "x", tenantId, token, now).check()).isEqualTo(Check.WRONG_CALL);
        assertThat(EDGE.verify(callId, tenantId, token, now.plus(TelephonyToken.DEFAULT_TTL).plusSeconds(1))
                .check()).isEqualTo(Check.EXPIRED);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
