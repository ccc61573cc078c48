package io.sipai.testing.twilio;

import java.time.Instant;

import io.sipai.schemas.telephony.TelephonyToken;

/**
 * The Twilio Media Streams messages test and benchmark callers send, as Twilio words them (stream SID
 * {@code MZ<callId>}, a per-call media token minted with the edge's secret for the call, tenant and agent, valid ten
 * minutes).
 */
public final class TwilioMessages {

    public static final String CONNECTED = "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}";

    private TwilioMessages() {
    }

    /** {@code start} with the call's custom parameters and a token bound to {@code agentId} (may be null). */
    public static String start(String secret, String callId, String tenantId, String agentId) {
        String token = new TelephonyToken(secret).mint(callId, tenantId, agentId, Instant.now().plusSeconds(600));
        return "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"streamSid\":\"MZ" + callId
                + "\",\"customParameters\":{\"callId\":\"" + callId + "\",\"tenantId\":\"" + tenantId
                + (agentId == null ? "" : "\",\"agentId\":\"" + agentId) + "\",\"token\":\"" + token
                + "\"}},\"streamSid\":\"MZ" + callId + "\"}";
    }

    /** Inbound {@code media} number {@code chunk} (1-based, 20 ms each) with its base64 mu-law payload. */
    public static String media(String callId, long chunk, String payload) {
        return "{\"event\":\"media\",\"sequenceNumber\":\"" + (chunk + 1) + "\",\"media\":{\"track\":"
                + "\"inbound\",\"chunk\":\"" + chunk + "\",\"timestamp\":\"" + chunk * 20 + "\",\"payload\":\""
                + payload + "\"},\"streamSid\":\"MZ" + callId + "\"}";
    }

    /** {@code stop}: the caller hung up. */
    public static String stop(String callId) {
        return "{\"event\":\"stop\",\"sequenceNumber\":\"0\",\"streamSid\":\"MZ" + callId
                + "\",\"stop\":{\"accountSid\":\"ACbench\",\"callSid\":\"CA" + callId + "\"}}";
    }

    /** The {@code mark} Twilio sends back once the audio before it has played. */
    public static String mark(String callId, String name) {
        return "{\"event\":\"mark\",\"streamSid\":\"MZ" + callId + "\",\"mark\":{\"name\":\"" + name + "\"}}";
    }
}
