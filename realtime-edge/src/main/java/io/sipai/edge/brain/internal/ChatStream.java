package io.sipai.edge.brain.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.sipai.edge.brain.AgentBrain.ReplyListener;
import io.sipai.edge.brain.AgentBrain.ToolCall;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one streamed Chat Completions response (server-sent events): text deltas go to the listener as they come;
 * tool-call fragments are keyed by index and concatenated until the stream ends ({@code data: [DONE]}); an
 * {@code error} object in the stream, a non-200 status, a timeout or a broken stream reach the listener as a
 * failure. After {@link #cancel} the listener hears nothing more.
 */
public final class ChatStream {

    /** Sends the request. */
    @FunctionalInterface
    public interface Call {
        HttpResponse<InputStream> send() throws IOException, InterruptedException;
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ReplyListener listener;
    private final Consumer<ObjectNode> history;
    private final Map<Integer, String[]> calls = new TreeMap<>();
    private final StringBuilder content = new StringBuilder();
    private volatile boolean cancelled;
    private volatile InputStream body;

    /** @param history receives the assembled assistant message for the conversation's history */
    public ChatStream(ReplyListener listener, Consumer<ObjectNode> history) {
        this.listener = listener;
        this.history = history;
    }

    public void cancel() {
        cancelled = true;
        InputStream current = body;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // Closing is best effort; the reader stops on the flag anyway.
            }
        }
    }

    /** Runs the request and reads the stream to its end, on the calling thread. */
    public void run(Call call) {
        try {
            HttpResponse<InputStream> response = call.send();
            body = response.body();
            if (response.statusCode() != 200) {
                String detail = new String(response.body().readNBytes(2000), StandardCharsets.UTF_8);
                fail("HTTP " + response.statusCode() + ": " + errorMessage(detail));
                return;
            }
            read(response.body());
        } catch (HttpTimeoutException e) {
            fail("timeout: " + e.getMessage());
        } catch (IOException e) {
            fail("stream broken: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JacksonException e) {
            fail("malformed chunk: " + e.getOriginalMessage());
        }
    }

    private void read(InputStream in) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String line;
            while (!cancelled && (line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty() && event(data.toString())) {
                        return;
                    }
                    data.setLength(0);
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                }
            }
            if (!cancelled) {
                fail("stream ended without [DONE]");
            }
        }
    }

    /** Handles one event; true when the stream is complete. */
    private boolean event(String data) {
        if (data.startsWith("[DONE]")) {
            finish();
            return true;
        }
        JsonNode chunk = JSON.readTree(data);
        if (chunk.has("error")) {
            fail("error in stream: " + chunk.path("error").path("message").asString(""));
            return true;
        }
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            String text = delta.path("content").isString() ? delta.path("content").asString() : "";
            if (!text.isEmpty() && !cancelled) {
                content.append(text);
                listener.text(text);
            }
            for (JsonNode fragment : delta.path("tool_calls")) {
                String[] call = calls.computeIfAbsent(fragment.path("index").asInt(),
                        i -> new String[]{null, null, ""});
                if (fragment.hasNonNull("id")) {
                    call[0] = fragment.get("id").asString();
                }
                JsonNode function = fragment.path("function");
                if (function.hasNonNull("name")) {
                    call[1] = function.get("name").asString();
                }
                if (function.hasNonNull("arguments")) {
                    call[2] = call[2] + function.get("arguments").asString();
                }
            }
        }
        return false;
    }

    private void finish() {
        if (cancelled) {
            return;
        }
        ObjectNode assistant = JSON.createObjectNode().put("role", "assistant");
        if (content.isEmpty()) {
            assistant.putNull("content");
        } else {
            assistant.put("content", content.toString());
        }
        if (!calls.isEmpty()) {
            ArrayNode toolCalls = assistant.putArray("tool_calls");
            calls.values().forEach(c -> toolCalls.addObject().put("id", c[0]).put("type", "function")
                    .putObject("function").put("name", c[1]).put("arguments", c[2]));
        }
        history.accept(assistant);
        calls.values().forEach(c -> listener.toolCall(new ToolCall(c[0], c[1], c[2])));
        listener.done(false);
    }

    private void fail(String error) {
        if (!cancelled) {
            cancelled = true;
            listener.failed(error);
        }
    }

    private static String errorMessage(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node.path("error").path("message").asString(body);
        } catch (JacksonException e) {
            return body;
        }
    }
}
