package io.sipai.system.support;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.sipai.schemas.telephony.TelephonyToken;
import io.sipai.schemas.telephony.TwilioSignature;
import io.sipai.testing.cluster.ServiceNode;
import io.sipai.testing.twilio.TwilioMessages;
import io.sipai.testing.ws.WsClient;

/**
 * One live call on a realtime-edge node as its far end speaks to it: a browser on sipai's own protocol, Twilio Media
 * Streams (signed upgrade, per-call token in {@code start}) or jambonz {@code listen} (token in the URL). The edge
 * runs its echo pipeline, so audio sent comes back: {@link #exchangesAudio} proves the call is live both ways.
 */
public final class EdgeCaller implements AutoCloseable {

    /** How the call reaches the edge. */
    public enum Kind { VOICE, TWILIO, JAMBONZ }

    private static final Duration CONNECT = Duration.ofSeconds(10);

    private final Kind kind;
    private final String callId;
    private final WsClient ws;
    private int chunk;

    private EdgeCaller(Kind kind, String callId, WsClient ws) {
        this.kind = kind;
        this.callId = callId;
        this.ws = ws;
    }

    /** An own-protocol call with the deployment's API key (tenant {@code default}); returns once connected. */
    public static EdgeCaller voice(ServiceNode edge, String callId) {
        WsClient ws = WsClient.connect(url(edge, "/realtime/voice?api_key=" + Deployment.ADMIN_KEY));
        ws.text("{\"t\":\"start\",\"callId\":\"" + callId + "\"}");
        String first = ws.nextText();
        if (!first.contains("\"connected\"")) {
            ws.close();
            throw new AssertionError("call " + callId + " not connected: " + first);
        }
        return new EdgeCaller(Kind.VOICE, callId, ws);
    }

    /** A Twilio Media Stream of an admitted call of {@code tenant}, signed with {@code authToken}. */
    public static EdgeCaller twilio(ServiceNode edge, String callId, String tenant, String authToken) {
        String path = "/telephony/twilio/stream";
        String signature = new TwilioSignature(authToken).sign(url(edge, path).toString());
        WsClient ws = WsClient.connect(url(edge, path), Map.of("X-Twilio-Signature", signature), List.of());
        ws.text(TwilioMessages.CONNECTED);
        ws.text(TwilioMessages.start(Deployment.TOKEN_SECRET, callId, tenant, null));
        return new EdgeCaller(Kind.TWILIO, callId, ws);
    }

    /**
     * A Twilio Media Stream of a call of {@code tenant} whose {@code start} presents {@code token} (for instance one
     * already used on another connection); returns once {@code start} is sent.
     */
    public static EdgeCaller twilio(ServiceNode edge, String callId, String tenant, String authToken, String token) {
        String path = "/telephony/twilio/stream";
        String signature = new TwilioSignature(authToken).sign(url(edge, path).toString());
        WsClient ws = WsClient.connect(url(edge, path), Map.of("X-Twilio-Signature", signature), List.of());
        ws.text(TwilioMessages.CONNECTED);
        ws.text("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"streamSid\":\"MZ" + callId
                + "\",\"customParameters\":{\"callId\":\"" + callId + "\",\"tenantId\":\"" + tenant
                + "\",\"token\":\"" + token + "\"}},\"streamSid\":\"MZ" + callId + "\"}");
        return new EdgeCaller(Kind.TWILIO, callId, ws);
    }

    /** A jambonz {@code listen} socket of an admitted call of {@code tenant}. */
    public static EdgeCaller jambonz(ServiceNode edge, String callId, String tenant) {
        return jambonz(edge, callId, tenant, new TelephonyToken(Deployment.TOKEN_SECRET).mint(callId, tenant,
                Instant.now().plusSeconds(600)));
    }

    /**
     * A jambonz {@code listen} socket of a call of {@code tenant} presenting {@code token}; throws
     * {@link WsClient.HandshakeRefused} with the HTTP status when the edge refuses the upgrade.
     */
    public static EdgeCaller jambonz(ServiceNode edge, String callId, String tenant, String token) {
        WsClient ws = WsClient.connect(url(edge, "/telephony/jambonz/listen?callId=" + callId + "&tenantId=" + tenant
                + "&token=" + token), Map.of(), List.of("audio.jambonz.org"));
        ws.text("{\"sampleRate\":8000,\"mixType\":\"mono\",\"callSid\":\"" + callId + "\",\"direction\":\"inbound\"}");
        return new EdgeCaller(Kind.JAMBONZ, callId, ws);
    }

    private static URI url(ServiceNode edge, String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + edge.port() + pathAndQuery);
    }

    public String callId() {
        return callId;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the socket is still open (the edge has not closed it). */
    public boolean open() {
        return !ws.closed.isDone();
    }

    /** The close the edge sent, waiting up to {@code timeout}. */
    public WsClient.Close awaitClose(Duration timeout) {
        return ws.awaitClose(timeout);
    }

    /** Sends half a second of audio and waits until at least half of it came back. */
    public boolean exchangesAudio() {
        long before = audioReceived();
        for (int i = 0; i < 25; i++) {
            sendAudioFrame();
        }
        long deadline = System.nanoTime() + CONNECT.toNanos();
        while (System.nanoTime() < deadline) {
            if (audioReceived() - before >= 12) {
                return true;
            }
            sleep(50);
        }
        return false;
    }

    /** The caller presses a key. */
    public void dtmf(String digit) {
        ws.text(switch (kind) {
            case VOICE -> "{\"t\":\"dtmf\",\"digits\":\"" + digit + "\"}";
            case TWILIO -> "{\"event\":\"dtmf\",\"streamSid\":\"MZ" + callId + "\",\"dtmf\":{\"track\":"
                    + "\"inbound_track\",\"digit\":\"" + digit + "\"}}";
            case JAMBONZ -> "{\"event\":\"dtmf\",\"dtmf\":\"" + digit + "\",\"duration\":\"100\"}";
        });
    }

    /** The caller hangs up: {@code stop} (own protocol, Twilio) or the socket closes (jambonz). */
    public void hangUp() {
        switch (kind) {
            case VOICE -> ws.text("{\"t\":\"stop\"}");
            case TWILIO -> ws.text("{\"event\":\"stop\",\"stop\":{\"accountSid\":\"AC1\",\"callSid\":\"CA1\"},"
                    + "\"streamSid\":\"MZ" + callId + "\"}");
            case JAMBONZ -> ws.close();
        }
    }

    private void sendAudioFrame() {
        chunk++;
        switch (kind) {
            case VOICE -> ws.binary(tone(320, 2));
            case TWILIO -> ws.text(TwilioMessages.media(callId, chunk, Base64.getEncoder()
                    .encodeToString(new byte[160])));
            case JAMBONZ -> ws.binary(tone(160, 2));
        }
    }

    private long audioReceived() {
        String marker = kind == Kind.TWILIO ? "text:{\"event\":\"media\"" : "binary:";
        return ws.received.stream().filter(message -> message.startsWith(marker)).count();
    }

    /** {@code samples} of a 300 Hz PCM16 tone, {@code bytesPerSample} 2. */
    private static byte[] tone(int samples, int bytesPerSample) {
        byte[] frame = new byte[samples * bytesPerSample];
        for (int i = 0; i < samples; i++) {
            short s = (short) (6000 * Math.sin(2 * Math.PI * 300 * i / 8000.0));
            frame[2 * i] = (byte) s;
            frame[2 * i + 1] = (byte) (s >> 8);
        }
        return frame;
    }

    @Override
    public void close() {
        ws.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
