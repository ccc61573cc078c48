package io.sipai.bench.voice.vendors;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deepgram and OpenAI as local servers with fixed latencies, speaking their exact wire protocols
 * (../shared/protocols): Deepgram streaming speech-to-text ({@code /v1/listen}: binary linear16 audio in, a final
 * {@code Results} answering each {@code Finalize} after {@code asrMs}), Deepgram Aura streaming TTS
 * ({@code /v1/speak}: {@code Speak}/{@code Flush}/{@code Clear}; the audio of a flushed text, 50 ms per character
 * and at least 300 ms, sent at once in 100 ms binary frames {@code ttsMs} after the Flush, then {@code Flushed}),
 * and OpenAI chat completions streaming ({@code POST /v1/chat/completions}, SSE, the first chunk {@code llmMs} after
 * the request; a turn asking to book gets a tool call first, and the tool's result a short answer). The recognizer
 * does not recognize: each socket's n-th request for a final gets the n-th piece of {@link #TRANSCRIPTS} (cut at
 * commas, where the callers' phrases pause). With {@code interimLagMs} above
 * 0 it also sends interim results ({@code is_final: false}, lower case, no punctuation) as a streaming recognizer
 * does, trailing the speech by {@code interimLagMs}: the turn's first words while the caller speaks (a word per 300
 * ms of speech; audio above a fixed energy is speech), all of them {@code interimLagMs} of audio after it stopped.
 *
 * <p>Run on its own: {@code java -cp benchmarks.jar io.sipai.bench.voice.vendors.VendorStandIns
 * --deepgram-port 18090 --openai-port 18091 --asr-ms 150 --llm-ms 300 --tts-ms 100 --interim-lag-ms 0}.
 */
public final class VendorStandIns implements AutoCloseable {

    /** What the recognizer "hears" in a call's turns, in order (then again): what the wire benchmark's callers say. */
    public static final List<String> TRANSCRIPTS = List.of("I would like to book an appointment.",
            "What are your opening hours?", "Is there parking nearby?", "Thank you, that is all.");
    /**
     * What each {@code Finalize} is answered with, in order: the transcripts cut after their commas, where the
     * synthesized phrases pause long enough for the edge to ask for a final ("Thank you," then "that is all.").
     */
    private static final List<String> PIECES = TRANSCRIPTS.stream()
            .flatMap(transcript -> Arrays.stream(transcript.split("(?<=,) "))).toList();
    /** Each piece's words as an interim result gives them: lower case, no punctuation. */
    private static final List<List<String>> PIECE_WORDS = PIECES.stream()
            .map(piece -> List.of(piece.toLowerCase(Locale.ROOT).replaceAll("[.,?!]", "").split(" "))).toList();
    /** The brain's answer to a tool's result. */
    public static final String BOOKED_REPLY = "You are booked for Friday at ten. Anything else?";
    /** The brain's answer to anything else (and its greeting comes from the agent). */
    public static final String REPLY = "Sure. We are open from nine to five on weekdays. Is there anything else?";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MS_PER_CHAR = 50;
    private static final int MIN_AUDIO_MS = 300;
    private static final int FRAME_MS = 100;
    private static final int MS_PER_WORD = 300;

    private final int asrMs;
    private final int llmMs;
    private final int ttsMs;
    private final int interimLagMs;
    private final WsServer deepgram;
    private final HttpServer openAi;
    private final AtomicLong requests = new AtomicLong();

    public VendorStandIns(int deepgramPort, int openAiPort, int asrMs, int llmMs, int ttsMs) throws IOException {
        this(deepgramPort, openAiPort, asrMs, llmMs, ttsMs, 0);
    }

    public VendorStandIns(int deepgramPort, int openAiPort, int asrMs, int llmMs, int ttsMs, int interimLagMs)
            throws IOException {
        this.interimLagMs = interimLagMs;
        this.asrMs = asrMs;
        this.llmMs = llmMs;
        this.ttsMs = ttsMs;
        this.deepgram = new WsServer(deepgramPort, connection -> connection.path().startsWith("/v1/speak")
                ? new Speak(connection) : new Listen(connection));
        this.openAi = HttpServer.create(new InetSocketAddress("127.0.0.1", openAiPort), 1_000);
        openAi.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        openAi.createContext("/v1/chat/completions", this::chat);
        openAi.start();
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        try (VendorStandIns vendors = new VendorStandIns(Integer.parseInt(args.getOrDefault("deepgram-port",
                "18090")), Integer.parseInt(args.getOrDefault("openai-port", "18091")),
                Integer.parseInt(args.getOrDefault("asr-ms", "150")), Integer.parseInt(args.getOrDefault("llm-ms",
                "300")), Integer.parseInt(args.getOrDefault("tts-ms", "100")),
                Integer.parseInt(args.getOrDefault("interim-lag-ms", "0")))) {
            System.out.println("vendors deepgram ws://127.0.0.1:" + vendors.deepgramPort() + " openai http://127.0.0.1:"
                    + vendors.openAiPort() + "/v1");
            Thread.currentThread().join();
        }
    }

    /**
     * The audio the TTS produces for a reply that the edge speaks sentence by sentence (split after '.', '!' or '?'
     * followed by a space, as its sentence splitter does).
     */
    public static long replyAudioMs(String reply) {
        long ms = 0;
        for (String sentence : reply.split("(?<=[.!?])\\s+")) {
            ms += audioMs(sentence.strip().length());
        }
        return ms;
    }

    private static int audioMs(int chars) {
        return (Math.max(MIN_AUDIO_MS, chars * MS_PER_CHAR) + FRAME_MS - 1) / FRAME_MS * FRAME_MS;
    }

    /** Whether the brain answers a call's {@code turn}-th transcript with a tool call first (two completions). */
    public static boolean toolTurn(int turn) {
        return TRANSCRIPTS.get(turn % TRANSCRIPTS.size()).contains("book");
    }

    public int deepgramPort() {
        return deepgram.port();
    }

    public int openAiPort() {
        return openAi.getAddress().getPort();
    }

    @Override
    public void close() throws IOException {
        deepgram.close();
        openAi.stop(0);
    }

    private static void sleepUntil(long dueNanos) {
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One speech-to-text socket. */
    private final class Listen implements WsServer.Session {
        private final WsServer.Connection connection;
        private final AtomicLong audioBytes = new AtomicLong();
        /** How many Finalize requests were answered: the index of the next piece of {@link #PIECES}. */
        private final AtomicInteger turns = new AtomicInteger();
        private volatile double lastFinalEnd;
        /** Audio since the caller's speech last stopped, or -1 when their words were given as an interim. */
        private long silentMs = -1;
        /** Speech heard in the current turn, and how many of its words the interims gave so far. */
        private long voicedMs;
        private int interimWords;

        Listen(WsServer.Connection connection) {
            this.connection = connection;
        }

        @Override
        public void binary(byte[] data) {
            double start = audioBytes.get() / 32_000.0;
            audioBytes.addAndGet(data.length);
            if (interimLagMs > 0) {
                interim(data, start);
            }
        }

        /**
         * While the caller speaks, the turn's first words as interims (a word per {@value #MS_PER_WORD} ms of speech,
         * each {@code interimLagMs} late); all of them once {@code interimLagMs} of audio followed the speech.
         */
        private synchronized void interim(byte[] pcm, double start) {
            int ms = pcm.length / 32;
            List<String> words = PIECE_WORDS.get(turns.get() % PIECE_WORDS.size());
            if (speech(pcm)) {
                silentMs = 0;
                voicedMs += ms;
                int heard = (int) Math.min(words.size(), Math.max(0, voicedMs - interimLagMs) / MS_PER_WORD);
                if (heard > interimWords) {
                    interimWords = heard;
                    connection.sendText(interimResult(String.join(" ", words.subList(0, heard)), start));
                }
                return;
            }
            if (silentMs < 0) {
                return;
            }
            silentMs += ms;
            if (silentMs >= interimLagMs) {
                silentMs = -1;
                voicedMs = 0;
                interimWords = 0;
                connection.sendText(interimResult(String.join(" ", words), start));
            }
        }

        private String interimResult(String words, double start) {
            return results(words, lastFinalEnd, start).replace("\"is_final\":true,\"speech_final\":true",
                    "\"is_final\":false,\"speech_final\":false").replace("\"from_finalize\":true",
                    "\"from_finalize\":false");
        }

        private static boolean speech(byte[] pcm) {
            long energy = 0;
            for (int i = 0; i + 1 < pcm.length; i += 2) {
                int sample = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
                energy += (long) sample * sample;
            }
            return pcm.length >= 2 && energy / (pcm.length / 2) > 500L * 500L;
        }

        @Override
        public void text(String message) {
            if (message.contains("\"Finalize\"")) {
                long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(asrMs);
                String transcript = PIECES.get(turns.getAndIncrement() % PIECES.size());
                double end = audioBytes.get() / 32_000.0;
                double start = lastFinalEnd;
                lastFinalEnd = end;
                Thread.ofVirtual().start(() -> {
                    sleepUntil(due);
                    connection.sendText(results(transcript, start, end));
                });
            } else if (message.contains("\"CloseStream\"")) {
                connection.sendText("{\"type\":\"Metadata\",\"transaction_key\":\"deprecated\",\"request_id\":"
                        + "\"8c8ebea9-dbec-45fa-a035-e4632cb05b5f\",\"duration\":" + audioBytes.get() / 32_000.0
                        + ",\"channels\":1}");
                connection.close(1000, "");
            }
        }

        private static String results(String transcript, double start, double end) {
            return String.format(Locale.ROOT, "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":%.3f,"
                    + "\"start\":%.3f,\"is_final\":true,\"speech_final\":true,\"channel\":{\"alternatives\":[{"
                    + "\"transcript\":\"%s\",\"confidence\":0.98,\"words\":[]}]},\"metadata\":{\"request_id\":"
                    + "\"52cc0efe-fa77-4aa7-b79c-0dda09de2f14\",\"model_info\":{\"name\":\"2-general-nova\","
                    + "\"version\":\"2024-01-18.26916\",\"arch\":\"nova-3\"},\"model_uuid\":"
                    + "\"c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c\"},\"from_finalize\":true}", end - start, start,
                    transcript);
        }
    }

    /** One Aura TTS socket: flushed texts are synthesized in order; a Clear drops what is not sent yet. */
    private final class Speak implements WsServer.Session {
        private final WsServer.Connection connection;
        private final Executor worker = Executors.newVirtualThreadPerTaskExecutor();
        private final StringBuilder buffer = new StringBuilder();
        private final AtomicInteger generation = new AtomicInteger();
        private int sequence;
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

        Speak(WsServer.Connection connection) {
            this.connection = connection;
            connection.sendText("{\"type\":\"Metadata\",\"request_id\":\"3f1b3c5e-7d3b-4e2a-9c1e\",\"model_name\":"
                    + "\"aura-2-thalia-en\",\"model_version\":\"2025-04-01\",\"model_uuid\":\"ecb76e9d\"}");
        }

        @Override
        public synchronized void text(String message) {
            JsonNode msg = JSON.readTree(message);
            switch (msg.path("type").asString("")) {
                case "Speak" -> buffer.append(msg.path("text").asString(""));
                case "Flush" -> flush();
                case "Clear" -> {
                    generation.incrementAndGet();
                    buffer.setLength(0);
                    connection.sendText("{\"type\":\"Cleared\",\"sequence_id\":" + sequence++ + "}");
                }
                case "Close" -> connection.close(1000, "");
                default -> {
                }
            }
        }

        private void flush() {
            long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ttsMs);
            int chars = buffer.toString().strip().length();
            buffer.setLength(0);
            int id = sequence++;
            int flushedIn = generation.get();
            tail = tail.thenRunAsync(() -> {
                sleepUntil(due);
                int audioMs = audioMs(chars);
                byte[] frame = tone(FRAME_MS);
                for (int sent = 0; sent < audioMs && generation.get() == flushedIn; sent += FRAME_MS) {
                    connection.sendBinary(frame);
                }
                if (generation.get() == flushedIn) {
                    connection.sendText("{\"type\":\"Flushed\",\"sequence_id\":" + id + "}");
                }
            }, worker);
        }

        @Override
        public void binary(byte[] data) {
        }

        private static byte[] tone(int ms) {
            byte[] pcm = new byte[ms * 32];
            for (int i = 0; i < pcm.length / 2; i++) {
                short sample = (short) (6_000 * Math.sin(i * 2 * Math.PI * 440 / 16_000));
                pcm[2 * i] = (byte) sample;
                pcm[2 * i + 1] = (byte) (sample >> 8);
            }
            return pcm;
        }
    }

    /** One chat completion, streamed. */
    private void chat(HttpExchange exchange) throws IOException {
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(llmMs);
        requests.incrementAndGet();
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        JsonNode messages = request.path("messages");
        JsonNode last = messages.get(messages.size() - 1);
        String role = last.path("role").asString("");
        boolean wantsTool = role.equals("user") && last.path("content").asString("").contains("book")
                && request.path("tools").size() > 0;
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            sleepUntil(due);
            String id = "chatcmpl-bench" + requests.get();
            String reply = role.equals("tool") ? BOOKED_REPLY : REPLY;
            if (wantsTool) {
                String name = request.path("tools").get(0).path("function").path("name").asString("");
                event(out, chunk(id, JSON.createObjectNode().put("role", "assistant").set("tool_calls",
                        JSON.createArrayNode().add(JSON.createObjectNode().put("index", 0).put("id", "call_" + id)
                                .put("type", "function").set("function", JSON.createObjectNode().put("name", name)
                                        .put("arguments", "{\"day\":\"friday\",\"hour\":\"ten\"}")))), null));
                event(out, chunk(id, JSON.createObjectNode(), "tool_calls"));
            } else {
                event(out, chunk(id, JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
                for (String word : reply.split("(?<= )")) {
                    event(out, chunk(id, JSON.createObjectNode().put("content", word), null));
                }
                event(out, chunk(id, JSON.createObjectNode(), "stop"));
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String chunk(String id, ObjectNode delta, String finishReason) {
        ObjectNode choice = JSON.createObjectNode().put("index", 0);
        choice.set("delta", delta);
        choice.put("finish_reason", finishReason);
        ObjectNode chunk = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", 1727346176L).put("model", "gpt-4o-mini");
        chunk.set("choices", JSON.createArrayNode().add(choice));
        return JSON.writeValueAsString(chunk);
    }

    private static void event(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
