package io.sipai.edge.tts;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import io.sipai.edge.pipeline.ws.StreamSockets;
import io.sipai.edge.pipeline.ws.VendorSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deepgram Aura streaming text-to-speech ({@code /v1/speak} over WebSocket, one socket per call as Deepgram
 * requires): each sentence is a {@code Speak} followed by {@code Flush}; raw linear16 16 kHz binary frames belong to
 * the oldest unflushed sentence until its {@code Flushed}. Barge-in sends {@code Clear} and drops audio until
 * {@code Cleared}. A socket the vendor drops mid-call is opened again (see {@code SpeakStream}); a refused handshake
 * fails the stream. (Deepgram limits Flush to 20 per minute; a chattier agent gets Warning messages, which are
 * logged by the vendor side only.)
 */
public final class DeepgramTextToSpeech implements TextToSpeech {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger LOG = LoggerFactory.getLogger(DeepgramTextToSpeech.class);

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

    /**
     * One call's synthesis socket. A socket the vendor drops after it opened (an error close, a dead connection) is
     * opened again, up to {@value VendorSocket#MAX_RECONNECTS} times a call, and counted
     * ({@code edge.vendor.reconnects}): the sentences not yet flushed are spoken again on the new socket, from their
     * start (a sentence cut off mid-way is heard again whole rather than lost). A refused handshake, malformed JSON
     * or one drop too many fails the stream.
     */
    private final class SpeakStream implements Stream, StreamSockets.Handler {

        private final AudioListener listener;
        private final Deque<Sentence> pending = new ArrayDeque<>();
        private volatile VendorSocket socket;
        private final StreamSockets sockets;
        private int reconnects;
        private short[] samples = new short[4096];
        private int clearsInFlight;
        private volatile boolean ending;

        SpeakStream(URI uri, AudioListener listener) {
            this.listener = listener;
            this.sockets = new StreamSockets(http, uri, Map.of("Authorization", "Token " + apiKey), connectTimeout,
                    this);
            this.socket = sockets.open();
        }

        @Override
        public synchronized void speak(String sentenceId, String text) {
            Sentence sentence = new Sentence(sentenceId, text);
            pending.add(sentence);
            send(sentence);
        }

        private void send(Sentence sentence) {
            ObjectNode speak = JSON.createObjectNode().put("type", "Speak").put("text", sentence.text());
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
            Sentence sentence = pending.peekFirst();
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
            listener.audio(sentence.id(), samples, n);
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
                        Sentence done = pending.pollFirst();
                        if (done != null) {
                            listener.done(done.id());
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
        public synchronized void closed(int code, String reason, boolean opened) {
            boolean dropped = !ending && VendorSocket.droppedByVendor(code, opened);
            if (dropped && reconnects < VendorSocket.MAX_RECONNECTS) {
                reconnects++;
                VendorSocket.countReconnect("tts", name());
                LOG.warn("deepgram closed a call's speech stream ({} {}); opening it again ({} of {}), {} sentences "
                        + "to speak again", code, reason, reconnects, VendorSocket.MAX_RECONNECTS, pending.size());
                // A Clear the dropped socket did not answer will not be answered by the new one.
                clearsInFlight = 0;
                socket = sockets.open();
                pending.forEach(this::send);
                return;
            }
            if (!ending || code != 1000 && code != -1) {
                listener.failed("deepgram closed the stream: " + code + " " + reason
                        + (dropped ? " (after " + reconnects + " reconnects)" : ""));
            }
        }
    }

    /** A sentence queued for synthesis, kept until flushed so that a new socket can speak it again. */
    private record Sentence(String id, String text) {
    }
}
