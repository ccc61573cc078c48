package io.sipai.edge.pipeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sipai.testing.ws.WsClient;
import tools.jackson.databind.JsonNode;

/**
 * Plays a client of sipai's own protocol ({@code /realtime/voice}): a JSON {@code start}, binary PCM16 16 kHz
 * frames once {@code connected} arrives, {@code mark} acknowledgements, {@code clear} records.
 */
final class VoiceCaller extends PacedCaller {

    final List<String> transfers = new CopyOnWriteArrayList<>();
    final List<String> ended = new CopyOnWriteArrayList<>();
    private volatile boolean connected;

    VoiceCaller(WsClient ws, String callId, String agentId) {
        super(ws);
        ws.text(JSON.writeValueAsString(Map.of("t", "start", "v", 1, "callId", callId, "agentId", agentId)));
        startStreaming();
    }

    @Override
    void sendFrame(short[] pcm16k) {
        // Audio sent before connected has no session yet and would be dropped by the server.
        if (connected) {
            sendBinary(littleEndian(pcm16k));
        }
        ws.binaries.clear();
    }

    boolean connected() {
        return connected;
    }

    /** The caller presses keys. */
    void dtmf(String digits) {
        sendText(JSON.writeValueAsString(Map.of("t", "dtmf", "digits", digits)));
    }

    @Override
    void onMessage(JsonNode msg) {
        switch (msg.path("t").asString()) {
            case "connected" -> connected = true;
            case "mark" -> {
                sendText(JSON.writeValueAsString(Map.of("t", "mark", "name", msg.path("name").asString())));
                markPlayed();
            }
            case "clear" -> cleared(msg.toString());
            case "transfer" -> transfers.add(msg.path("target").asString());
            case "ended" -> ended.add(msg.toString());
            default -> {
            }
        }
    }
}
