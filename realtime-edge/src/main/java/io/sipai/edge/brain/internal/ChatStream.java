package io.sipai.edge.brain.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
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
 * failure. After {@link #cancel} the listener hears nothing more, and the exchange is aborted.
 */
public final class ChatStream {

    /** Sends the request and waits for the response's status; the body streams on. */
    @FunctionalInterface
    public interface Call {
        Opened send() throws IOException, InterruptedException, TimeoutException, ExecutionException;
    }

    /** A response whose status arrived: its body to read. */
    public record Opened(int status, InputStream body) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ReplyListener listener;
    private final Consumer<ObjectNode> history;
    private final Runnable abort;
    private final Map<Integer, String[]> calls = new TreeMap<>();
    private final StringBuilder content = new StringBuilder();
    private volatile boolean cancelled;

    /**
     * @param history receives the assembled assistant message for the conversation's history
     * @param abort   aborts the HTTP exchange and closes its connection, so that the server stops generating
     */
    public ChatStream(ReplyListener listener, Consumer<ObjectNode> history, Runnable abort) {
        this.listener = listener;
        this.history = history;
        this.abort = abort;
    }

    /**
     * Stops the reply: the listener hears nothing more and the connection is closed. (Closing only the body would
     * not do: an HTTP/1.1 client may keep such a connection and read the rest, and the model would write it all.)
     */
    public void cancel() {
        cancelled = true;
        abort.run();
    }

    /** Runs the request and reads the stream to its end, on the calling thread. */
    public void run(Call call) {
        try {
            Opened response = call.send();
            if (cancelled) {
                abort.run();
                return;
            }
            if (response.status() != 200) {
                try (InputStream body = response.body()) {
                    String detail = new String(body.readNBytes(2000), StandardCharsets.UTF_8);
                    fail("HTTP " + response.status() + ": " + errorMessage(detail));
                }
                return;
            }
            read(response.body());
        } catch (TimeoutException e) {
            abort.run();
            fail("timeout: no response headers in time");
        } catch (ExecutionException e) {
            fail("stream broken: " + e.getCause().getMessage());
        } catch (IOException e) {
            fail("stream broken: " + e.getMessage());
        } catch (InterruptedException e) {
            abort.run();
            Thread.currentThread().interrupt();
        } catch (JacksonException e) {
            fail("malformed chunk: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            // The HTTP client's own failures (and an abort's cause) surface here too; after a cancel they are
            // the abort itself, and nobody listens any more.
            fail("stream broken: " + e);
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
