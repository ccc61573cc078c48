package io.sipai.gateway.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.twilio.security.RequestValidator;
import io.sipai.common.AdmissionLimit;
import io.sipai.events.CallEnded;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.runtime.events.CallEventEnvelope;
import io.sipai.schemas.Topics;
import io.sipai.schemas.telephony.JambonzSignature;
import io.sipai.testing.kafka.AdmissionResponder;
import io.sipai.testing.kafka.TestKafka;
import org.junit.jupiter.api.Test;

/** Inbound jambonz and Twilio webhooks: signatures, admission, verbs / TwiML, status callbacks to events. */
class TelephonyWebhooksTest extends GatewayTest {

    @Test
    void admittedJambonzCallIsAnsweredWithABidirectionalListenCarryingAValidToken() {
        // given
        String callSid = UUID.randomUUID().toString();
        String body = "{\"call_sid\":\"" + callSid + "\",\"direction\":\"inbound\",\"from\":\"+441173185201\","
                + "\"to\":\"+441303763875\",\"call_status\":\"trying\"}";
        // when
        Answer answer = jambonz("/telephony/jambonz/call", body, sign(body));
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        assertThat(answer.json().get(0).get("verb").stringValue()).isEqualTo("answer");
        var listen = answer.json().get(1);
        assertThat(listen.get("verb").stringValue()).isEqualTo("listen");
        assertThat(listen.get("url").stringValue()).startsWith("ws://127.0.0.1:8081/telephony/jambonz/listen?callId=");
        assertThat(listen.get("bidirectionalAudio").get("streaming").booleanValue()).isTrue();
        String callId = listen.get("metadata").get("callId").stringValue();
        assertThat(callId).isEqualTo(CallEventEnvelope.stableId("JAMBONZ", callSid));
        assertThat(listen.get("metadata").has("token")).isFalse();
        // and a status callback becomes a call event
        String status = "{\"call_sid\":\"" + callSid + "\",\"call_status\":\"completed\",\"duration\":3}";
        assertThat(jambonz("/telephony/jambonz/status", status, sign(status)).status()).isEqualTo(204);
        assertThat(TestKafka.readAll(Topics.CALL_EVENTS)).anySatisfy(r -> {
            assertThat(r.getKey()).isEqualTo(callId);
            assertThat(r.getValue().getPayload()).isInstanceOf(CallEnded.class);
        });
    }

    @Test
    void rejectedJambonzCallIsDeclinedPolitely() {
        String tenantKey = newTenant("jz-full");
        String tenantId = call("GET", "/v1/api-keys", tenantKey, null).json().get("data").get(0).get("tenantId")
                .stringValue();
        AdmissionResponder.REJECT.put(tenantId, AdmissionLimit.GLOBAL);
        String body = "{\"call_sid\":\"" + UUID.randomUUID() + "\",\"from\":\"+1\",\"to\":\"+2\"}";
        Answer answer = jambonz("/telephony/jambonz/call?tenant=" + tenantId, body, sign(body));
        assertThat(answer.json().get(0).get("verb").stringValue()).isEqualTo("say");
        assertThat(answer.json().get(1).get("verb").stringValue()).isEqualTo("hangup");
    }

    @Test
    void badOrMissingJambonzSignatureIs403AndPublishesNothing() {
        int before = TestKafka.readAll(Topics.CALL_EVENTS).size();
        String body = "{\"call_sid\":\"" + UUID.randomUUID() + "\"}";
        String stale = "t=" + (Instant.now().getEpochSecond() - 301) + ",v1="
                + JambonzSignature.sign(JAMBONZ_SECRET, Instant.now().getEpochSecond() - 301,
                body.getBytes(StandardCharsets.UTF_8));
        assertThat(jambonz("/telephony/jambonz/call", body, null).status()).isEqualTo(403);
        assertThat(jambonz("/telephony/jambonz/call", body, sign(body.replace("}", " }"))).status()).isEqualTo(403);
        Answer old = jambonz("/telephony/jambonz/call", body, stale);
        assertThat(old.status()).isEqualTo(403);
        assertThat(old.json().get("type").stringValue()).endsWith("/invalid-signature");
        assertThat(TestKafka.readAll(Topics.CALL_EVENTS)).hasSize(before);
        assertThat(AdmissionResponder.SEEN.stream().noneMatch(c -> c.getTenantId() == null)).isTrue();
    }

    @Test
    void admittedTwilioCallGetsConnectStreamAndATamperedOneIs403() {
        // given: a signature Twilio's own validator accepts
        Map<String, String> params = new LinkedHashMap<>();
        params.put("CallSid", "CA" + UUID.randomUUID().toString().replace("-", ""));
        params.put("From", "+14155550100");
        params.put("To", "+14155550199");
        params.put("AccountSid", "ACtest");
        String url = PUBLIC_BASE_URL + "/telephony/twilio/voice?agent=a1";
        String signature = new io.sipai.schemas.telephony.TwilioSignature(TWILIO_TOKEN).sign(url,
                params.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> java.util.List.of(
                        e.getValue()))));
        assertThat(new RequestValidator(TWILIO_TOKEN).validate(url, params, signature)).isTrue();
        // when
        Answer answer = twilio(url, params, signature);
        params.put("From", "+19999999999");
        Answer tampered = twilio(url, params, signature);
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        String xml = answer.response().body();
        assertThat(xml).contains("<Connect><Stream url=\"ws://127.0.0.1:8081/telephony/twilio/stream\">")
                .contains("<Parameter name=\"callId\"").contains("<Parameter name=\"token\"")
                .contains("<Parameter name=\"agentId\" value=\"a1\"/>");
        assertThat(tampered.status()).isEqualTo(403);
    }

    private String sign(String body) {
        long t = Instant.now().getEpochSecond();
        return "t=" + t + ",v1=" + JambonzSignature.sign(JAMBONZ_SECRET, t, body.getBytes(StandardCharsets.UTF_8));
    }

    private Answer jambonz(String path, String body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("Jambonz-Signature", signature);
        }
        return send(request.build());
    }

    private Answer twilio(String url, Map<String, String> params, String signature) {
        String form = params.entrySet().stream().map(e -> e.getKey() + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri(url.substring(PUBLIC_BASE_URL.length())))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }
}
