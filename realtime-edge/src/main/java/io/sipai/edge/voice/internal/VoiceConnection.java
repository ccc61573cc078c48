package io.sipai.edge.voice.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Rejected;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.Transport;
import io.sipai.config.AgentConfig;
import io.sipai.edge.codec.AudioFormat;
import io.sipai.edge.connection.ConnectionServices;
import io.sipai.edge.connection.EdgeConnection;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.session.CallSession;
import io.sipai.edge.wire.CloseCodes;
import io.sipai.edge.wire.Json;
import io.sipai.edge.wire.ProtocolViolation;
import io.sipai.events.CallRequested;
import io.sipai.schemas.telephony.TransferTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.WebSocketSession;
import tools.jackson.databind.JsonNode;

/**
 * One {@code /realtime/voice} or {@code /v1/realtime/voice} connection: sipai's own protocol, version 1, for
 * browsers and SDKs (docs/realtime-protocol.md). JSON text messages with a {@code t} discriminator and binary
 * audio frames. {@code start} writes CallRequested and asks admission; Granted starts the session and answers
 * {@code connected}; Rejected answers {@code error} and closes 4029 (admission's CallRejected ends the call); no
 * decision in time answers {@code error}, closes 1013 and ends the call with CallEnded ERROR, so a call the edge
 * gave up on is over in the log too (a grant arriving late finds its slot released). A client that closes while
 * admission decides changes nothing of this: the decision still ends the call. Audio sent while admission decides
 * is discarded.
 */
public final class VoiceConnection extends EdgeConnection {

    private static final Logger LOG = LoggerFactory.getLogger(VoiceConnection.class);
    private static final String CALL_ID_PATTERN = "[A-Za-z0-9._:-]{1,128}";

    private enum State { NEW, ADMITTING, CONNECTED }

    private final String tenantId;
    private volatile State state = State.NEW;
    private volatile AudioFormat format = AudioFormat.PCM16_16K;

    /** A connection whose upgrade {@link VoiceHandshake} authenticated for its tenant. */
    public VoiceConnection(WebSocketSession ws, ConnectionServices services) {
        super(ws, services);
        this.tenantId = (String) ws.getAttributes().get(VoiceHandshake.TENANT);
    }

    @Override
    public void onText(String text, long receivedNanos) {
        JsonNode msg = services.json().readTree(text);
        String type = Json.text(msg, "t");
        switch (type == null ? "" : type) {
            case "start" -> start(msg);
            case "text" -> connected().text(required(msg, "text"));
            case "dtmf" -> connected().dtmf(required(msg, "digits"), null);
            case "mark" -> connected().markPlayed(required(msg, "name"));
            case "stop" -> connected().endAndClose(EndReason.CALLER_HANGUP, "client sent stop", CloseCodes.NORMAL,
                    "stopped");
            default -> throw ProtocolViolation.policy("unknown message type '" + type + "'");
        }
    }

    @Override
    public void onBinary(byte[] data, int length, long receivedNanos) {
        switch (state) {
            case NEW -> throw ProtocolViolation.policy("audio before start");
            case ADMITTING -> {
                // The client did not wait for connected; its audio has no session to go to yet.
            }
            case CONNECTED -> connected().audioIn(-1, data, length, receivedNanos);
        }
    }

    private CallSession connected() {
        CallSession call = call();
        if (state != State.CONNECTED || call == null) {
            throw ProtocolViolation.policy("message before connected");
        }
        return call;
    }

    private static String required(JsonNode msg, String field) {
        String value = Json.text(msg, field);
        if (value == null) {
            throw ProtocolViolation.policy("'" + field + "' is required");
        }
        return value;
    }

    /**
     * The value of {@code field} for this connection: a session URL binds the call and the agent, so the start may
     * leave them out or repeat them, but not name others.
     */
    private String bound(String given, String attribute, String field) {
        String session = (String) ws.getAttributes().get(attribute);
        if (session == null) {
            return given;
        }
        if (given != null && !given.equals(session)) {
            throw new ProtocolViolation(CloseCodes.FORBIDDEN, field + " is not the one of this session");
        }
        return session;
    }

    private void start(JsonNode msg) {
        if (state != State.NEW) {
            throw ProtocolViolation.policy("second start");
        }
        String version = Json.text(msg, "v");
        if (version != null && !"1".equals(version)) {
            throw ProtocolViolation.policy("unsupported protocol version " + version + "; this server speaks 1");
        }
        String callId = bound(Json.text(msg, "callId"), VoiceHandshake.SESSION_CALL, "callId");
        if (callId == null) {
            callId = UUID.randomUUID().toString();
        } else if (!callId.matches(CALL_ID_PATTERN)) {
            throw ProtocolViolation.policy("callId must match " + CALL_ID_PATTERN);
        }
        format = audioFormat(msg.path("audio"));
        String agentId = bound(Json.text(msg, "agentId"), VoiceHandshake.SESSION_AGENT, "agentId");
        AgentConfig agent = services.agents().find(agentId).orElse(null);
        if (agent != null && !agent.getTenantId().equals(tenantId)) {
            throw new ProtocolViolation(CloseCodes.FORBIDDEN, "agent belongs to another tenant");
        }
        if (services.sessions().live(callId)) {
            throw ProtocolViolation.policy("call already connected");
        }
        CallContext context = new CallContext(callId, tenantId, Json.text(msg, "campaignId"), agentId,
                CallDirection.INBOUND, Transport.WEBSOCKET, Json.text(msg, "from"), Json.text(msg, "to"),
                Json.stringMap(msg.path("metadata")), agent);
        state = State.ADMITTING;
        long requestedNanos = System.nanoTime();
        // The slot is asked for only once CallRequested is in the log, so CallAdmitted (written by the admission
        // processor) always follows it.
        CompletableFuture<Void> requested = services.sessions().emitAcknowledged(context, CallRequested.newBuilder()
                .setDirection(context.direction()).setTransport(context.transport()).setFrom(context.from())
                .setTo(context.to()).setMetadata(context.metadata()).build());
        // The publisher retries until the broker answers; the client is not kept waiting longer than for admission
        // (a copy times out, so the publisher still tells whether CallRequested was written in the end).
        requested.copy().orTimeout(services.settings().admissionTimeoutMs(), TimeUnit.MILLISECONDS)
                .whenComplete((acknowledged, error) -> {
                    if (error != null) {
                        logUnavailable(context, requestedNanos, requested);
                        return;
                    }
                    services.admission().acquire(context.slot(), context.direction(), context.transport())
                            .whenComplete((decision, failure) -> decided(context, requestedNanos, decision,
                                    failure));
                });
    }

    /**
     * CallRequested was not acknowledged in time: the client is refused now, and the call ends in the log once
     * CallRequested is written (never before it); should the publisher give it up instead, nothing was requested
     * and nothing needs to end.
     */
    private void logUnavailable(CallContext context, long requestedNanos, CompletableFuture<Void> requested) {
        String cause = "the call event log did not acknowledge CallRequested within "
                + services.settings().admissionTimeoutMs() + " ms (EDGE_ADMISSION_TIMEOUT_MS)";
        LOG.warn("call {} refused: {}", context.callId(), cause);
        refuseUnavailable(cause);
        requested.thenRun(() -> services.sessions().abandon(context, EndReason.ERROR, "admission_unavailable: "
                + cause, millisSince(requestedNanos), false));
    }

    private static AudioFormat audioFormat(JsonNode audio) {
        String encoding = Json.text(audio, "encoding");
        String rate = Json.text(audio, "sampleRate");
        try {
            return new AudioFormat(encoding == null || "pcm16".equals(encoding) ? AudioFormat.Encoding.PCM16
                    : "mulaw".equals(encoding) ? AudioFormat.Encoding.MULAW : null,
                    rate == null ? 16_000 : Integer.parseInt(rate));
        } catch (IllegalArgumentException e) {
            throw ProtocolViolation.policy("unsupported audio format: encoding pcm16|mulaw, sampleRate "
                    + "8000|16000|24000|48000");
        }
    }

    private void decided(CallContext context, long requestedNanos, AdmissionDecision decision, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            LOG.warn("admission for call {} failed: {}", context.callId(), reason);
            refuseUnavailable(reason);
            // The admission client has already sent ReleaseSlot, so a grant arriving late holds no slot; the call
            // admission may still grant must end in the log all the same.
            services.sessions().abandon(context, EndReason.ERROR, "admission_unavailable: " + reason,
                    millisSince(requestedNanos), false);
            return;
        }
        if (decision.getOutcome() instanceof Rejected rejected) {
            sendError("admission_rejected", rejected.getLimit() + ": " + rejected.getDetail());
            close(CloseCodes.REJECTED, "rejected: " + rejected.getLimit());
            return;
        }
        try {
            call(services.sessions().start(context, this, format, false, true));
        } catch (IllegalStateException e) {
            sendError("call_already_connected", e.getMessage());
            close(CloseCodes.POLICY, "call already connected");
            return;
        }
        state = State.CONNECTED;
        Map<String, Object> connected = new LinkedHashMap<>();
        connected.put("t", "connected");
        connected.put("v", 1);
        connected.put("callId", context.callId());
        connected.put("audio", Map.of("encoding", name(format), "sampleRate", format.sampleRate(),
                "frameMs", 20));
        send(connected);
    }

    private void refuseUnavailable(String message) {
        sendError("admission_unavailable", message);
        close(CloseCodes.TRY_AGAIN_LATER, "admission unavailable");
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String name(AudioFormat format) {
        return format.encoding() == AudioFormat.Encoding.MULAW ? "mulaw" : "pcm16";
    }

    private void sendError(String code, String message) {
        send(Map.of("t", "error", "code", code, "message", message == null ? code : message));
    }

    private void send(Map<String, ?> message) {
        out.text(services.json().writeValueAsString(message), false);
    }

    @Override
    protected String closingMessage(int closeCode, String reason) {
        CallSession call = call();
        if (call == null || closeCode == CloseCodes.POLICY && "client not reading".equals(reason)) {
            return null;
        }
        return services.json().writeValueAsString(Map.of("t", "ended", "callId", call.context().callId(),
                "code", closeCode, "reason", reason));
    }

    @Override
    public AudioFormat outboundFormat() {
        return format;
    }

    @Override
    public void sendAudio(byte[] encoded, int length) {
        out.binary(ByteBuffer.wrap(Arrays.copyOf(encoded, length)), true);
    }

    @Override
    public void sendMark(String name) {
        send(Map.of("t", "mark", "name", name));
    }

    @Override
    public void sendClear() {
        send(Map.of("t", "clear"));
    }

    @Override
    public void sendTranscript(String text, boolean isFinal) {
        send(Map.of("t", "transcript", "text", text, "final", isFinal));
    }

    @Override
    public void sendAgentText(String text) {
        send(Map.of("t", "agent", "text", text));
    }

    /** No provider to ask: the client is told where to transfer the caller, then the call ends. */
    @Override
    public CompletableFuture<Transferred> transfer(TransferTarget target) {
        send(Map.of("t", "transfer", "target", target.uri()));
        return CompletableFuture.completedFuture(Transferred.END_NOW);
    }

    @Override
    protected String protocol() {
        return "voice";
    }
}
