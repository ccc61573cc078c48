package io.sipai.gateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local OpenAI-compatible Chat Completions endpoint ({@code POST /v1/chat/completions}, not streamed) answering
 * analyses in the {@code response_format} JSON Schema the request gives. The model name picks the behaviour:
 * {@code down-*} answers HTTP 500 with OpenAI's error body, {@code flaky-*} answers its first request with content
 * that is not JSON and later ones properly, any other model answers properly. Requests are recorded as JSON.
 */
public final class FakeOpenAi {

    /** The content of a proper answer. */
    public static final String ANALYSIS = "{\"summary\":\"The caller booked an appointment for monday at ten.\","
            + "\"success\":true,\"successReason\":\"the appointment was booked\","
            + "\"structuredData\":{\"day\":\"monday\",\"hour\":\"ten\"}}";
    public static final List<JsonNode> REQUESTS = new CopyOnWriteArrayList<>();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, Integer> SEEN = new ConcurrentHashMap<>();
    private static HttpServer server;

    private FakeOpenAi() {
    }

    /** OPENAI_BASE_URL of the fake. */
    public static synchronized String baseUrl() {
        if (server == null) {
            server = LoopbackHttp.serve("/v1/chat/completions", FakeOpenAi::handle);
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private static void handle(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        REQUESTS.add(request);
        String model = request.path("model").asString();
        int seen = SEEN.merge(model, 1, Integer::sum);
        if (model.startsWith("down-")) {
            reply(exchange, 500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
            return;
        }
        String content = model.startsWith("flaky-") && seen == 1 ? "Sure! Here is the analysis you asked for." : ANALYSIS;
        reply(exchange, 200, JSON.writeValueAsString(Map.of("id", "chatcmpl-" + seen, "object", "chat.completion",
                "created", 1_764_000_000, "model", model,
                "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                        "message", Map.of("role", "assistant", "content", content))),
                "usage", Map.of("prompt_tokens", 120, "completion_tokens", 40, "total_tokens", 160))));
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
