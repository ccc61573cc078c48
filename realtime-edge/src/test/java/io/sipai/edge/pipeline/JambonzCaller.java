package io.sipai.edge.pipeline;

import java.util.Map;

import io.sipai.testing.ws.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * Plays jambonz's side of a bidirectional {@code listen} in streaming mode: the metadata frame first, then binary
 * L16 8 kHz audio; answers each {@code mark} command with a {@code playout} event and records {@code killAudio}.
 */
final class JambonzCaller extends PacedCaller {

    static final String CALL_SID = "b5e39996-bd2f-4bda-b928-355147186a2a";

    JambonzCaller(WsClient ws) {
        this(ws, CALL_SID);
    }

    JambonzCaller(WsClient ws, String callSid) {
        super(ws);
        ws.text("""
                {"sampleRate":8000,"mixType":"mono","callSid":"%s","direction":"inbound","from":"+441173185201",
                "to":"+441303763875","callId":"7ade3efb-7163","sipStatus":200,"sipReason":"OK",
                "callStatus":"in-progress","accountSid":"300be250","applicationSid":"app-1"}""".formatted(callSid));
        startStreaming();
    }

    @Override
    void sendFrame(short[] pcm16k) {
        sendBinary(littleEndian(to8k(pcm16k)));
        ws.binaries.clear();
    }

    /** The caller presses a key (listen with passDtmf). */
    void dtmf(String digit) {
        sendText("{\"event\":\"dtmf\",\"dtmf\":\"" + digit + "\",\"duration\":\"1600\"}");
    }

    @Override
    void onMessage(JsonNode msg) {
        switch (msg.path("type").asString()) {
            case "mark" -> {
                sendText(JSON.writeValueAsString(Map.of("type", "mark", "data", Map.of(
                        "name", msg.path("data").path("name").asString(), "event", "playout"))));
                markPlayed();
            }
            case "killAudio" -> cleared(msg.toString());
            default -> {
            }
        }
    }
}
