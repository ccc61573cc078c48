package io.sipai.edge.twilio.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import io.sipai.common.EndReason;
import io.sipai.common.Transport;
import io.sipai.edge.codec.AudioFormat;
import io.sipai.edge.codec.Base64Text;
import io.sipai.edge.connection.ConnectionServices;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.CallSession;
import io.sipai.edge.telephony.ProviderCall;
import io.sipai.edge.telephony.TelephonyConnection;
import io.sipai.edge.telephony.TelephonyTokens;
import io.sipai.edge.wire.CloseCodes;
import io.sipai.edge.wire.Json;
import io.sipai.edge.wire.ProtocolViolation;
import io.sipai.schemas.telephony.CallOverrides;
import org.springframework.web.socket.WebSocketSession;
import tools.jackson.databind.JsonNode;

/**
 * One Twilio Media Stream. Receives {@code connected}, {@code start} (the call's ids and per-call token in
 * {@code customParameters}: callId, tenantId, token, optional agentId, campaignId, from, to, direction; the agent
 * is the one the token names, and an agentId parameter naming another closes with 4003),
 * {@code media} (base64 mu-law 8 kHz, reordered by {@code media.chunk}), {@code dtmf}, {@code mark} and
 * {@code stop}; sends {@code media}, {@code mark} and {@code clear}. A transfer updates the call through Twilio's
 * REST API with the {@code accountSid} and {@code callSid} of {@code start}. A bad token closes with 4001/4003
 * (4003 too for a token already used on any edge node: {@code start} waits for the deployment-wide claim of the
 * call's media, one admission round trip; 1013 when the used-token cache is full or the claim is not decided in
 * time) right after {@code start}, before any pipeline exists.
 */
final class TwilioConnection extends TelephonyConnection {

    private static final Base64.Decoder BASE64_IN = Base64.getDecoder();

    private final byte[] inbound = new byte[4096];
    private final StringBuilder message = new StringBuilder(512);
    private final TelephonyTokens tokens;
    private volatile String streamSid;

    TwilioConnection(WebSocketSession ws, ConnectionServices services, TwilioProvider provider,
                     TelephonyTokens tokens) {
        super(ws, services, provider);
        this.tokens = tokens;
    }

    @Override
    public void onText(String text, long receivedNanos) {
        JsonNode msg = services.json().readTree(text);
        String event = Json.text(msg, "event");
        switch (event == null ? "" : event) {
            case "media" -> media(msg.path("media"), receivedNanos);
            case "connected" -> {
                // Announces the protocol version; nothing to do until start.
            }
            case "start" -> start(msg.path("start"), Json.text(msg, "streamSid"));
            case "dtmf" -> started().dtmf(Json.text(msg.path("dtmf"), "digit"), null);
            case "mark" -> started().markPlayed(Json.text(msg.path("mark"), "name"));
            case "stop" -> started().endAndClose(EndReason.CALLER_HANGUP, "stream stopped", CloseCodes.NORMAL,
                    "stream stopped");
            default -> throw ProtocolViolation.policy("unknown event '" + event + "'");
        }
    }

    @Override
    public void onBinary(byte[] data, int length, long receivedNanos) {
        throw ProtocolViolation.policy("Twilio Media Streams carry no binary messages");
    }

    private CallSession started() {
        CallSession call = call();
        if (call == null) {
            throw ProtocolViolation.policy("message before start");
        }
        return call;
    }

    private void start(JsonNode start, String topLevelSid) {
        if (call() != null) {
            throw ProtocolViolation.policy("second start");
        }
        Map<String, String> params = Json.stringMap(start.path("customParameters"));
        String callId = params.get("callId");
        String tenantId = params.get("tenantId");
        TelephonyTokens.Verified verified = tokens.verify(callId, tenantId, params.get("agentId"),
                params.get("token"), Instant.now());
        if (verified.result() != TelephonyTokens.Result.VALID) {
            close(verified.result().closeCode(), verified.result().describe());
            return;
        }
        String sid = Json.text(start, "streamSid");
        streamSid = sid != null ? sid : topLevelSid;
        // The agent is the one the verified token names, never a parameter the stream's sender could choose.
        String agentId = verified.agentId();
        Map<String, String> metadata = new HashMap<>(params);
        metadata.remove("token");
        metadata.remove("agentId");
        if (agentId != null) {
            metadata.put("agentId", agentId);
        }
        String callSid = Json.text(start, "callSid");
        if (callSid != null) {
            metadata.put("twilioCallSid", callSid);
        }
        CallContext context = new CallContext(callId, tenantId, params.get("campaignId"), agentId,
                direction(params.getOrDefault("direction", "inbound")), Transport.TWILIO, params.get("from"),
                params.get("to"), metadata, CallOverrides.apply(services.agents().find(agentId).orElse(null), params));
        startCall(context, AudioFormat.MULAW_8K, true, new ProviderCall(callId, callSid,
                Json.text(start, "accountSid"), null));
    }

    private void media(JsonNode media, long receivedNanos) {
        CallSession call = started();
        String payload = Json.text(media, "payload");
        if (payload == null) {
            throw ProtocolViolation.policy("media without payload");
        }
        String track = Json.text(media, "track");
        if (track != null && !"inbound".equals(track)) {
            return;
        }
        byte[] ascii = payload.getBytes(StandardCharsets.ISO_8859_1);
        if (ascii.length / 4 * 3 > inbound.length) {
            throw ProtocolViolation.policy("media payload larger than " + inbound.length + " bytes");
        }
        int length;
        try {
            length = BASE64_IN.decode(ascii, inbound);
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolation(CloseCodes.BAD_DATA, "media payload is not base64");
        }
        String chunk = Json.text(media, "chunk");
        long sequence = chunk != null && !chunk.isEmpty() && chunk.length() < 19 && chunk.chars()
                .allMatch(Character::isDigit) ? Long.parseLong(chunk) : -1;
        call.audioIn(sequence, inbound, length, receivedNanos);
    }

    @Override
    public AudioFormat outboundFormat() {
        return AudioFormat.MULAW_8K;
    }

    @Override
    public void sendAudio(byte[] encoded, int length) {
        String text;
        synchronized (message) {
            message.setLength(0);
            message.append("{\"event\":\"media\",\"streamSid\":\"").append(streamSid)
                    .append("\",\"media\":{\"payload\":\"");
            Base64Text.append(encoded, length, message);
            text = message.append("\"}}").toString();
        }
        out.text(text, true);
    }

    @Override
    public void sendMark(String name) {
        out.text(services.json().writeValueAsString(Map.of("event", "mark", "streamSid", streamSid,
                "mark", Map.of("name", name))), false);
    }

    @Override
    public void sendClear() {
        out.text(services.json().writeValueAsString(Map.of("event", "clear", "streamSid", streamSid)), false);
    }
}
