package io.sipai.edge.pipeline;

import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.edge.codec.MuLaw;
import io.sipai.testing.ws.WsClient;
import tools.jackson.databind.JsonNode;

/** Plays Twilio's side of a Media Stream: 8 kHz mu-law media messages, mark echoes, clear records. */
final class TwilioCaller extends PacedCaller {

    static final String STREAM_SID = "MZ00000000000000000000000000000077";
    static final String ACCOUNT_SID = "AC00000000000000000000000000000001";
    static final String CALL_SID = "CA00000000000000000000000000000077";

    private final AtomicInteger chunk = new AtomicInteger();
    private final long startNanos = System.nanoTime();
    private volatile long firstMediaNanos;

    TwilioCaller(WsClient ws, String callId, String tenantId, String token, String agentId) {
        this(ws, callId, tenantId, token, agentId, CALL_SID);
    }

    TwilioCaller(WsClient ws, String callId, String tenantId, String token, String agentId, String callSid) {
        this(ws, callId, tenantId, token, agentId, callSid, "inbound");
    }

    /** @param direction the call's direction as api-gateway's stream parameters give it (inbound, outbound) */
    TwilioCaller(WsClient ws, String callId, String tenantId, String token, String agentId, String callSid,
                 String direction) {
        this(ws, callSid, Map.of("callId", callId, "tenantId", tenantId, "token", token, "agentId", agentId,
                "direction", direction));
    }

    /** @param parameters the stream's {@code <Parameter>}s as api-gateway's TwiML gives them */
    TwilioCaller(WsClient ws, String callSid, Map<String, String> parameters) {
        super(ws);
        ws.text("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
        ws.text("""
                {"event":"start","sequenceNumber":"1","start":{"accountSid":"%s",
                "streamSid":"%s","callSid":"%s","tracks":["inbound"],
                "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},
                "customParameters":%s},
                "streamSid":"%s"}""".formatted(ACCOUNT_SID, STREAM_SID, callSid, JSON.writeValueAsString(parameters),
                STREAM_SID));
        startStreaming();
    }

    @Override
    void sendFrame(short[] pcm16k) {
        short[] pcm8k = to8k(pcm16k);
        byte[] mulaw = new byte[pcm8k.length];
        for (int i = 0; i < pcm8k.length; i++) {
            mulaw[i] = MuLaw.encode(pcm8k[i]);
        }
        int n = chunk.incrementAndGet();
        sendText("{\"event\":\"media\",\"sequenceNumber\":\"" + (n + 1) + "\",\"media\":{\"track\":\"inbound\","
                + "\"chunk\":\"" + n + "\",\"timestamp\":\"" + n * 20 + "\",\"payload\":\""
                + Base64.getEncoder().encodeToString(mulaw) + "\"},\"streamSid\":\"" + STREAM_SID + "\"}");
    }

    /** Milliseconds from the stream's start to the first agent audio it received, or -1 before any. */
    long firstAudioMs() {
        long first = firstMediaNanos;
        return first == 0 ? -1 : (first - startNanos) / 1_000_000;
    }

    /** The caller presses a key. */
    void dtmf(String digit) {
        sendText("{\"event\":\"dtmf\",\"streamSid\":\"" + STREAM_SID + "\",\"sequenceNumber\":\"0\",\"dtmf\":{"
                + "\"track\":\"inbound_track\",\"digit\":\"" + digit + "\"}}");
    }

    /** Twilio ends the stream (the call was redirected or hung up). */
    void stop(String callSid) {
        sendText("{\"event\":\"stop\",\"sequenceNumber\":\"0\",\"stop\":{\"accountSid\":\"" + ACCOUNT_SID
                + "\",\"callSid\":\"" + callSid + "\"},\"streamSid\":\"" + STREAM_SID + "\"}");
    }

    @Override
    void onMessage(JsonNode msg) {
        switch (msg.path("event").asString()) {
            case "media" -> {
                if (mediaReceived.getAndIncrement() == 0) {
                    firstMediaNanos = System.nanoTime();
                }
            }
            case "mark" -> {
                sendText(JSON.writeValueAsString(Map.of("event", "mark", "streamSid", STREAM_SID,
                        "sequenceNumber", "0", "mark", Map.of("name", msg.path("mark").path("name").asString()))));
                markPlayed();
            }
            case "clear" -> cleared(msg.toString());
            default -> {
            }
        }
    }
}
