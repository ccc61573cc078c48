package io.sipai.edge.jambonz.internal;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sipai.common.Transport;
import io.sipai.edge.codec.AudioFormat;
import io.sipai.edge.codec.Resampler;
import io.sipai.edge.connection.ConnectionServices;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.CallSession;
import io.sipai.edge.telephony.ProviderCall;
import io.sipai.edge.telephony.TelephonyConnection;
import io.sipai.edge.wire.Json;
import io.sipai.edge.wire.ProtocolViolation;
import io.sipai.schemas.telephony.CallOverrides;
import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import tools.jackson.databind.JsonNode;

/**
 * One jambonz {@code listen} socket. The upgrade carried the call's ids and per-call token in the query
 * ({@code callId, tenantId, token}, optional {@code agentId, campaignId, from, to, direction}, {@code mode} =
 * {@code stream} (default, for {@code bidirectionalAudio.streaming=true}) or {@code play}, {@code outRate} = the
 * {@code bidirectionalAudio.sampleRate}). The first text frame is the call metadata with {@code sampleRate}; then
 * binary L16 little-endian mono audio. Text frames after it: {@code dtmf} (passDtmf), {@code mark} events
 * (playout/cleared) and {@code playDone}. Outbound: streaming mode sends binary L16 at outRate with {@code mark} and
 * {@code killAudio} commands; play mode sends {@code playAudio} (raw, base64, queued) per mark or half second of audio.
 * A transfer redirects the metadata's {@code callSid} to this edge's transfer hook ({@link JambonzRedirect}), whose
 * public base comes from {@code EDGE_PUBLIC_URL} or this upgrade's Host and X-Forwarded-Proto. A socket that closes,
 * breaks the protocol or is drained before its metadata frame ends the call it was opened for (CallEnded, slot
 * released).
 */
final class JambonzConnection extends TelephonyConnection {

    private static final int PLAY_CHUNK_MS = 500;

    private final Map<String, String> query = new LinkedHashMap<>();
    private final boolean streaming;
    private final AudioFormat outFormat;
    private final String publicBase;
    private byte[] pending = new byte[0];
    private int pendingLength;

    JambonzConnection(WebSocketSession ws, ConnectionServices services, JambonzProvider provider) {
        super(ws, services, provider);
        ws.getAttributes().forEach((key, value) -> {
            if (key.startsWith(JambonzProvider.QUERY_PREFIX)) {
                query.put(key.substring(JambonzProvider.QUERY_PREFIX.length()), (String) value);
            }
        });
        this.streaming = !"play".equals(query.get("mode"));
        int rate = parseRate(query.get("outRate"), 8000);
        this.outFormat = new AudioFormat(AudioFormat.Encoding.PCM16, rate);
        this.publicBase = publicBase(ws.getHandshakeHeaders(), ws.getUri());
        String callId = query.get("callId");
        String tenantId = query.get("tenantId");
        if (callId != null && !callId.isBlank() && tenantId != null && !tenantId.isBlank()) {
            // The upgrade's token was verified for exactly this call: if jambonz hangs up (or the socket breaks)
            // before the metadata frame, the call is over and must end in the log.
            answersFor(new CallContext(callId, tenantId, query.get("campaignId"), query.get("agentId"),
                    direction(query.getOrDefault("direction", "inbound")), Transport.JAMBONZ, query.get("from"),
                    query.get("to"), Map.of(), null));
        }
    }

    /**
     * The public http(s) base of this node as jambonz reached it: {@code X-Forwarded-Proto} (https/wss means https)
     * or the request's scheme, and the {@code Host} header.
     */
    static String publicBase(HttpHeaders headers, URI requestUri) {
        String proto = headers.getFirst("X-Forwarded-Proto");
        String scheme = proto != null ? proto.strip() : requestUri == null ? null : requestUri.getScheme();
        boolean secure = scheme != null && (scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("wss"));
        String host = headers.getFirst(HttpHeaders.HOST);
        if (host == null && requestUri != null) {
            host = requestUri.getRawAuthority();
        }
        return host == null || host.isBlank() ? null : (secure ? "https://" : "http://") + host.strip();
    }

    private static int parseRate(String value, int fallback) {
        try {
            int rate = value == null ? fallback : Integer.parseInt(value);
            return Resampler.supported(rate) ? rate : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public void onText(String text, long receivedNanos) {
        JsonNode msg = services.json().readTree(text);
        if (call() == null) {
            start(msg);
            return;
        }
        String type = Json.text(msg, "type");
        String event = Json.text(msg, "event");
        if ("dtmf".equals(event)) {
            String duration = Json.text(msg, "duration");
            call().dtmf(Json.text(msg, "dtmf"), duration != null && duration.matches("\\d{1,9}")
                    ? Integer.parseInt(duration) / 8 : null);
        } else if ("mark".equals(type)) {
            call().markPlayed(Json.text(msg.path("data"), "name"));
        } else if ("playDone".equals(type)) {
            String id = Json.text(msg.path("data"), "id");
            if (id != null) {
                call().markPlayed(id);
            }
        } else if (!"transcription".equals(type) && !"error".equals(type) && !"json".equals(type)) {
            throw ProtocolViolation.policy("unknown message " + (type != null ? "type '" + type + "'"
                    : "event '" + event + "'"));
        }
    }

    @Override
    public void onBinary(byte[] data, int length, long receivedNanos) {
        CallSession call = call();
        if (call == null) {
            throw ProtocolViolation.policy("audio before the metadata frame");
        }
        call.audioIn(-1, data, length, receivedNanos);
    }

    private void start(JsonNode metadata) {
        if (!metadata.isObject()) {
            throw ProtocolViolation.policy("first frame must be the JSON metadata object");
        }
        String mixType = Json.text(metadata, "mixType");
        if ("stereo".equals(mixType)) {
            throw ProtocolViolation.policy("mixType stereo is not supported; use mono or mixed");
        }
        int inRate = parseRate(Json.text(metadata, "sampleRate"), 8000);
        Map<String, String> meta = Json.stringMap(metadata);
        String agentId = query.get("agentId");
        CallContext context = new CallContext(query.get("callId"), query.get("tenantId"), query.get("campaignId"),
                agentId, direction(query.getOrDefault("direction", Json.text(metadata, "direction"))),
                Transport.JAMBONZ, query.getOrDefault("from", meta.get("from")), query.getOrDefault("to",
                meta.get("to")), meta, CallOverrides.apply(services.agents().find(agentId).orElse(null), query));
        startCall(context, new AudioFormat(AudioFormat.Encoding.PCM16, inRate), false,
                new ProviderCall(context.callId(), meta.get("callSid"), meta.get("accountSid"), publicBase));
    }

    @Override
    public AudioFormat outboundFormat() {
        return outFormat;
    }

    @Override
    public void sendAudio(byte[] encoded, int length) {
        if (streaming) {
            out.binary(ByteBuffer.wrap(Arrays.copyOf(encoded, length)), true);
            return;
        }
        synchronized (this) {
            if (pendingLength + length > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pendingLength + length, outFormat.bytesFor(PLAY_CHUNK_MS)));
            }
            System.arraycopy(encoded, 0, pending, pendingLength, length);
            pendingLength += length;
            if (pendingLength >= outFormat.bytesFor(PLAY_CHUNK_MS)) {
                flushPlay(null);
            }
        }
    }

    private void flushPlay(String id) {
        if (pendingLength == 0 && id == null) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("audioContent", Base64.getEncoder().encodeToString(Arrays.copyOf(pending, pendingLength)));
        data.put("audioContentType", "raw");
        data.put("sampleRate", outFormat.sampleRate());
        data.put("queuePlay", true);
        if (id != null) {
            data.put("id", id);
        }
        pendingLength = 0;
        command("playAudio", data);
    }

    @Override
    public void sendMark(String name) {
        if (streaming) {
            command("mark", Map.of("name", name));
        } else {
            synchronized (this) {
                flushPlay(name);
            }
        }
    }

    @Override
    public void sendClear() {
        synchronized (this) {
            pendingLength = 0;
        }
        out.text(services.json().writeValueAsString(Map.of("type", "killAudio")), false);
    }

    private void command(String type, Map<String, Object> data) {
        out.text(services.json().writeValueAsString(Map.of("type", type, "data", data)), false);
    }
}
