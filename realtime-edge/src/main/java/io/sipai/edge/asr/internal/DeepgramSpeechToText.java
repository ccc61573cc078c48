package io.sipai.edge.asr.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.sipai.edge.asr.SpeechToText;
import io.sipai.edge.asr.TranscriptListener;
import io.sipai.edge.pipeline.ws.StreamSockets;
import io.sipai.edge.pipeline.ws.VendorSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deepgram streaming speech-to-text ({@code /v1/listen} over WebSocket): linear16 16 kHz audio in binary frames;
 * interim results as partials; each {@code is_final} result as a final piece; {@code speech_final}, a
 * {@code from_finalize} result or {@code UtteranceEnd} ends the turn. The pipeline's pauses and end of turn send
 * {@code Finalize}; its answer is the result marked {@code from_finalize} (a final already on its way when the
 * pause came is a final piece, not the answer), or nothing when Deepgram had no audio left to finalize and sends no
 * such result: after {@value #FINALIZE_ANSWER_MS} ms the turn goes on with the finals it had. {@code KeepAlive}
 * goes out when no audio was sent for 3 s; {@code CloseStream} at the end. A
 * refused handshake fails the stream; a socket dropped after it opened (an error close such as 1011 NET-000x, a
 * dead connection) is opened again a few times before the stream fails.
 */
public final class DeepgramSpeechToText implements SpeechToText {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ScheduledExecutorService KEEP_ALIVE = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("deepgram-keepalive").factory());
    private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** How long a {@code Finalize} may go unanswered before it counts as answered with nothing more. */
    static final long FINALIZE_ANSWER_MS = 800;
    /** How often one call's stream is opened again after the vendor dropped it. */
    static final int MAX_RECONNECTS = VendorSocket.MAX_RECONNECTS;
    private static final Logger LOG = LoggerFactory.getLogger(DeepgramSpeechToText.class);

    private final HttpClient http;
    private final URI uri;
    private final String apiKey;
    private final Duration connectTimeout;

    public DeepgramSpeechToText(HttpClient http, String baseUrl, String apiKey, String model, int endpointingMs,
                                Duration connectTimeout) {
        this.http = http;
        this.uri = URI.create(baseUrl + "/v1/listen?model=" + model + "&encoding=linear16&sample_rate=16000"
                + "&channels=1&interim_results=true&endpointing=" + endpointingMs + "&utterance_end_ms=1000"
                + "&vad_events=true&smart_format=true");
        this.apiKey = apiKey;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public String engine() {
        return "deepgram";
    }

    @Override
    public Stream open(String callId, TranscriptListener listener) {
        return new DeepgramStream(listener);
    }

    /**
     * One call's recognition stream. A socket the vendor drops after it opened (an error close, a dead connection)
     * is opened again, up to {@value #MAX_RECONNECTS} times a call, and counted ({@code edge.vendor.reconnects}):
     * audio queues while the new socket connects, the new socket's clock (Deepgram counts from its own start) is
     * shifted to the call's by the offset of the first audio it gets, and a turn being finalized ends with the
     * finals it had. A refused handshake, a data error, or one drop too many fails the stream.
     */
    private final class DeepgramStream implements Stream, StreamSockets.Handler {

        private final TranscriptListener listener;
        private final ScheduledFuture<?> keepAlive;
        private volatile VendorSocket socket;
        private final StreamSockets sockets;
        private int reconnects;
        /** The socket {@link #shiftMs} belongs to: the first audio sent on a new socket sets its shift. */
        private VendorSocket shiftedFor;
        private volatile long shiftMs;
        private volatile long lastSentNanos = System.nanoTime();
        private volatile boolean ending;
        private boolean finalSinceTurnEnd;
        /** A Finalize is unanswered; {@link #finalizes} numbers them, so a late fallback does not answer a newer one. */
        private boolean finalizing;
        private long finalizes;

        DeepgramStream(TranscriptListener listener) {
            this.listener = listener;
            this.sockets = new StreamSockets(http, uri, Map.of("Authorization", "Token " + apiKey), connectTimeout,
                    this);
            this.socket = sockets.open();
            this.shiftedFor = socket;
            this.keepAlive = KEEP_ALIVE.scheduleAtFixedRate(this::keepAlive, 1, 1, TimeUnit.SECONDS);
        }

        @Override
        public void audio(short[] frame, int length, long offsetMs) {
            byte[] pcm = new byte[length * 2];
            for (int i = 0; i < length; i++) {
                pcm[2 * i] = (byte) frame[i];
                pcm[2 * i + 1] = (byte) (frame[i] >> 8);
            }
            VendorSocket current = socket;
            synchronized (this) {
                if (current != shiftedFor) {
                    // The first audio a reopened socket gets: Deepgram's clock for it starts at this offset.
                    shiftedFor = current;
                    shiftMs = offsetMs;
                }
            }
            lastSentNanos = System.nanoTime();
            current.sendBinary(pcm);
        }

        @Override
        public void endOfTurn(long startMs, long endMs) {
            long number;
            synchronized (this) {
                finalizing = true;
                number = ++finalizes;
            }
            socket.sendText("{\"type\":\"Finalize\"}");
            KEEP_ALIVE.schedule(() -> unanswered(number), FINALIZE_ANSWER_MS, TimeUnit.MILLISECONDS);
        }

        private void unanswered(long number) {
            synchronized (this) {
                if (!finalizing || number != finalizes) {
                    return;
                }
                finalizing = false;
            }
            listener.fin("", 0f, shiftMs, shiftMs, true);
        }

        /** Whether a result answers the unanswered Finalize (and so it is answered). */
        private synchronized boolean answers(boolean fromFinalize) {
            boolean answer = fromFinalize && finalizing;
            finalizing &= !answer;
            return answer;
        }

        @Override
        public synchronized void close() {
            ending = true;
            keepAlive.cancel(false);
            socket.sendText("{\"type\":\"CloseStream\"}");
            socket.close();
        }

        private void keepAlive() {
            if (System.nanoTime() - lastSentNanos > KEEP_ALIVE_NANOS) {
                lastSentNanos = System.nanoTime();
                socket.sendText("{\"type\":\"KeepAlive\"}");
            }
        }

        @Override
        public void text(String message) {
            JsonNode msg;
            try {
                msg = JSON.readTree(message);
            } catch (JacksonException e) {
                listener.failed("deepgram sent malformed JSON: " + e.getOriginalMessage());
                return;
            }
            switch (msg.path("type").asString("")) {
                case "Results" -> results(msg);
                case "UtteranceEnd" -> {
                    if (finalSinceTurnEnd) {
                        finalSinceTurnEnd = false;
                        long end = shiftMs + (long) (msg.path("last_word_end").asDouble() * 1000);
                        listener.fin("", 0f, end, end, true);
                    }
                }
                default -> {
                    // SpeechStarted (the edge's own VAD decides), Metadata: nothing to do.
                }
            }
        }

        private void results(JsonNode msg) {
            JsonNode alternative = msg.path("channel").path("alternatives").path(0);
            String transcript = alternative.path("transcript").asString("");
            float confidence = (float) alternative.path("confidence").asDouble(0);
            long start = shiftMs + (long) (msg.path("start").asDouble() * 1000);
            long end = start + (long) (msg.path("duration").asDouble() * 1000);
            if (!msg.path("is_final").asBoolean(false)) {
                if (!transcript.isBlank()) {
                    listener.partial(transcript, confidence, start, end);
                }
                return;
            }
            boolean endOfTurn = answers(msg.path("from_finalize").asBoolean(false))
                    || msg.path("speech_final").asBoolean(false);
            finalSinceTurnEnd = !endOfTurn && (finalSinceTurnEnd || !transcript.isBlank());
            listener.fin(transcript, confidence, start, end, endOfTurn);
        }

        @Override
        public synchronized void closed(int code, String reason, boolean opened) {
            boolean dropped = !ending && VendorSocket.droppedByVendor(code, opened);
            if (dropped && reconnects < MAX_RECONNECTS) {
                reconnects++;
                VendorSocket.countReconnect("asr", engine());
                LOG.warn("deepgram closed a call's stream ({} {}); opening it again ({} of {})", code, reason,
                        reconnects, MAX_RECONNECTS);
                finalSinceTurnEnd = false;
                socket = sockets.open();
                if (finalizing) {
                    // The dropped socket took the turn's unfinished words with it: the turn ends with the finals
                    // it gave, instead of waiting for an answer the new socket cannot give.
                    finalizing = false;
                    listener.fin("", 0f, shiftMs, shiftMs, true);
                }
                return;
            }
            if (keepAlive != null) {
                // (null: the connect failed at once, before the stream was constructed)
                keepAlive.cancel(false);
            }
            if (!ending || code != 1000 && code != -1) {
                listener.failed("deepgram closed the stream: " + code + " " + reason
                        + (dropped ? " (after " + reconnects + " reconnects)" : ""));
            }
        }
    }
}
