package io.sipai.edge.brain;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OpenAI-compatible chat completions server on loopback ({@code POST /v1/chat/completions}, streamed as
 * server-sent events as the protocol sheet records them): each request's messages and arrival are recorded, the
 * first chunk comes {@link #firstTokenMs} after it, and the reply is {@code replies} applied to the last message's
 * content, a word per chunk. A client that goes away mid-stream is seen at the next write and recorded.
 */
public final class LoopbackChat implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One request: its messages, when it arrived, and whether its client left before the stream ended. */
    public record Request(JsonNode messages, long arrivedNanos, boolean[] abandoned) {

        /** The content of the last message. */
        public String lastContent() {
            return messages.get(messages.size() - 1).path("content").asString("");
        }

        /** Every message as {@code role: content}. */
        public List<String> dialog() {
            List<String> lines = new java.util.ArrayList<>();
            messages.forEach(m -> lines.add(m.path("role").asString("") + ": " + m.path("content").asString("")));
            return lines;
        }

        public boolean wasAbandoned() {
            return abandoned[0];
        }
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Delay from a request to its first chunk. */
    public volatile long firstTokenMs;
    private final UnaryOperator<String> replies;
    private final HttpServer server;

    public LoopbackChat(long firstTokenMs, UnaryOperator<String> replies) throws IOException {
        this.firstTokenMs = firstTokenMs;
        this.replies = replies;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::complete);
        server.start();
    }

    /** The API base to configure, including {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void complete(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        JsonNode messages = JSON.readTree(exchange.getRequestBody().readAllBytes()).path("messages");
        Request request = new Request(messages, arrived, new boolean[1]);
        requests.add(request);
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            TimeUnit.MILLISECONDS.sleep(firstTokenMs);
            event(out, "{\"role\":\"assistant\",\"content\":\"\"}");
            for (String word : replies.apply(request.lastContent()).split("(?<= )")) {
                event(out, JSON.writeValueAsString(JSON.createObjectNode().put("content", word)));
                TimeUnit.MILLISECONDS.sleep(5);
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            request.abandoned[0] = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void event(OutputStream out, String delta) throws IOException {
        out.write(("data: {\"id\":\"chatcmpl-loop\",\"object\":\"chat.completion.chunk\",\"created\":1727346176,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
