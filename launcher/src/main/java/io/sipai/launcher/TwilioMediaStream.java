package io.sipai.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The caller's side of a Twilio Media Stream, as Twilio plays it: a signed WebSocket upgrade, {@code connected},
 * {@code start} with the TwiML's {@code <Parameter>}s, then a 20 ms mu-law silence frame every 20 ms until the
 * agent's audio comes back. Used by {@link CallSmoke}.
 */
final class TwilioMediaStream {

    /** Half a second of 8 kHz mu-law: enough to know the greeting is real audio, not a stray frame. */
    private static final long GREETING_BYTES = 4_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SILENCE;

    static {
        byte[] frame = new byte[160];
        Arrays.fill(frame, (byte) 0xFF);
        SILENCE = Base64.getEncoder().encodeToString(frame);
    }

    private final URI url;
    private final String signature;
    private final String streamSid;
    private final String callSid;
    private final Map<String, String> parameters;
    private final AtomicLong audioBytes = new AtomicLong();
    private final CompletableFuture<Long> greeting = new CompletableFuture<>();
    /** How the edge closed the stream, once it did. */
    private volatile String closedBy;
    private WebSocket socket;

    TwilioMediaStream(URI url, String signature, String callSid, Map<String, String> parameters) {
        this.url = url;
        this.signature = signature;
        this.callSid = callSid;
        this.streamSid = "MZ" + callSid.substring(2);
        this.parameters = new LinkedHashMap<>(parameters);
    }

    /** Connects, starts the stream and sends silence until half a second of agent audio arrived; its bytes. */
    long awaitGreeting(HttpClient http, Duration timeout) throws Exception {
        socket = http.newWebSocketBuilder().header("X-Twilio-Signature", signature).connectTimeout(timeout)
                .buildAsync(url, new Listener()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        socket.sendText("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}", true).join();
        socket.sendText(start(), true).join();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long chunk = 1; !greeting.isDone() && System.nanoTime() < deadline; chunk++) {
            socket.sendText(media(chunk), true).join();
            Thread.sleep(20);
        }
        if (!greeting.isDone()) {
            throw new IllegalStateException("no greeting audio within " + timeout.toSeconds() + " s ("
                    + audioBytes.get() + " bytes)");
        }
        return greeting.get();
    }

    /** Stops the stream as Twilio does when the caller hangs up. */
    void hangUp() {
        if (closedBy != null) {
            throw new IllegalStateException("the edge closed the stream before the caller hung up: " + closedBy);
        }
        socket.sendText("{\"event\":\"stop\",\"sequenceNumber\":\"9999\",\"stop\":{\"callSid\":\"" + callSid
                + "\"},\"streamSid\":\"" + streamSid + "\"}", true).join();
        // The edge ends the stream on "stop" and may close first; the client's reply to that close has then
        // already gone out, so a refused close of our own is that, not a failure.
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(error -> {
            if (socket.isOutputClosed()) {
                return socket;
            }
            throw new CompletionException(error);
        }).join();
    }

    private String start() {
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("streamSid", streamSid);
        start.put("callSid", callSid);
        start.put("tracks", new String[] {"inbound"});
        start.put("customParameters", parameters);
        start.put("mediaFormat", Map.of("encoding", "audio/x-mulaw", "sampleRate", 8000, "channels", 1));
        return JSON.writeValueAsString(Map.of("event", "start", "sequenceNumber", "1", "start", start,
                "streamSid", streamSid));
    }

    private String media(long chunk) {
        return "{\"event\":\"media\",\"sequenceNumber\":\"" + (chunk + 1) + "\",\"media\":{\"track\":\"inbound\","
                + "\"chunk\":\"" + chunk + "\",\"timestamp\":\"" + chunk * 20 + "\",\"payload\":\"" + SILENCE
                + "\"},\"streamSid\":\"" + streamSid + "\"}";
    }

    /** Collects whole text messages and counts the agent's audio. */
    private final class Listener implements WebSocket.Listener {

        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                JsonNode event = JSON.readTree(message.toString());
                message.setLength(0);
                if ("media".equals(event.path("event").asString())) {
                    String payload = event.path("media").path("payload").asString();
                    long total = audioBytes.addAndGet(Base64.getDecoder().decode(payload).length);
                    if (total >= GREETING_BYTES) {
                        greeting.complete(total);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedBy = statusCode + " " + reason;
            greeting.completeExceptionally(new IllegalStateException("the edge closed the stream: " + statusCode
                    + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            greeting.completeExceptionally(error);
        }
    }
}
