package io.sipai.edge.tts;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import io.sipai.edge.pipeline.ws.VendorSocket;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deepgram Aura streaming text-to-speech ({@code /v1/speak} over WebSocket, one socket per call as Deepgram
 * requires): each sentence is a {@code Speak} followed by {@code Flush}; raw linear16 16 kHz binary frames belong to
 * the oldest unflushed sentence until its {@code Flushed}. Barge-in sends {@code Clear} and drops audio until
 * {@code Cleared}. A refused handshake or an error close fails the stream. (Deepgram limits Flush to 20 per minute;
 * a chattier agent gets Warning messages, which are logged by the vendor side only.)
 */
public final class DeepgramTextToSpeech implements TextToSpeech {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final String baseUrl;
    private final String apiKey;
    private final String defaultModel;
    private final Duration connectTimeout;

    public DeepgramTextToSpeech(HttpClient http, String baseUrl, String apiKey, String defaultModel,
                                Duration connectTimeout) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.defaultModel = defaultModel;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public String name() {
        return "deepgram";
    }

    @Override
    public Stream open(String callId, String voice, AudioListener listener) {
        String model = voice != null && voice.startsWith("aura") ? voice : defaultModel;
        return new SpeakStream(URI.create(baseUrl + "/v1/speak?model=" + model
                + "&encoding=linear16&sample_rate=16000"), listener);
    }

    /** One call's synthesis socket. */
    private final class SpeakStream implements Stream, VendorSocket.Handler {

        private final AudioListener listener;
        private final VendorSocket socket;
        private final Deque<String> pending = new ArrayDeque<>();
        private short[] samples = new short[4096];
        private int clearsInFlight;
        private volatile boolean ending;

        SpeakStream(URI uri, AudioListener listener) {
            this.listener = listener;
            this.socket = VendorSocket.open(http, uri, Map.of("Authorization", "Token " + apiKey), connectTimeout,
                    this);
        }

        @Override
        public synchronized void speak(String sentenceId, String text) {
            pending.add(sentenceId);
            ObjectNode speak = JSON.createObjectNode().put("type", "Speak").put("text", text);
            socket.sendText(JSON.writeValueAsString(speak));
            socket.sendText("{\"type\":\"Flush\"}");
        }

        @Override
        public synchronized void clear() {
            if (!pending.isEmpty()) {
                pending.clear();
                clearsInFlight++;
                socket.sendText("{\"type\":\"Clear\"}");
            }
        }

        @Override
        public void close() {
            ending = true;
            socket.sendText("{\"type\":\"Close\"}");
            socket.close();
        }

        @Override
        public synchronized void binary(byte[] data) {
            String sentence = pending.peekFirst();
            if (sentence == null || clearsInFlight > 0) {
                return;
            }
            int n = data.length / 2;
            if (samples.length < n) {
                samples = new short[n];
            }
            for (int i = 0; i < n; i++) {
                samples[i] = (short) ((data[2 * i] & 0xff) | data[2 * i + 1] << 8);
            }
            listener.audio(sentence, samples, n);
        }

        @Override
        public synchronized void text(String message) {
            JsonNode msg;
            try {
                msg = JSON.readTree(message);
            } catch (JacksonException e) {
                listener.failed("deepgram sent malformed JSON: " + e.getOriginalMessage());
                return;
            }
            switch (msg.path("type").asString("")) {
                case "Flushed" -> {
                    if (clearsInFlight == 0) {
                        String done = pending.pollFirst();
                        if (done != null) {
                            listener.done(done);
                        }
                    }
                }
                case "Cleared" -> clearsInFlight = Math.max(0, clearsInFlight - 1);
                default -> {
                    // Metadata and Warning need no action.
                }
            }
        }

        @Override
        public void closed(int code, String reason) {
            if (!ending || code != 1000 && code != -1) {
                listener.failed("deepgram closed the stream: " + code + " " + reason);
            }
        }
    }
}
