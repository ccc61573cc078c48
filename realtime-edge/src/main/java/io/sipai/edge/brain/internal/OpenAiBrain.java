package io.sipai.edge.brain.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import io.sipai.config.AgentConfig;
import io.sipai.config.ToolDefinition;
import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.session.CallContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The LLM brain: any OpenAI-compatible Chat Completions endpoint ({@code POST <base>/chat/completions} with
 * {@code stream: true}), read as server-sent events with the JDK HTTP client. The agent's tools are offered as
 * functions; streamed tool-call fragments are assembled by index and the results go back as {@code tool}
 * messages. A reply is cancelled by closing its response stream. The greeting is spoken as configured, without a
 * request.
 */
public final class OpenAiBrain implements AgentBrain {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Executor STREAMS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("openai-stream-", 1).factory());

    private final HttpClient http;
    private final URI endpoint;
    private final String apiKey;
    private final String defaultModel;
    private final Duration timeout;

    /**
     * @param baseUrl API base including {@code /v1}
     * @param apiKey  bearer key, or null for a self-hosted server without one
     * @param timeout how long to wait for the response headers
     */
    public OpenAiBrain(HttpClient http, String baseUrl, String apiKey, String defaultModel, Duration timeout) {
        this.http = http;
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/chat/completions");
        this.apiKey = apiKey;
        this.defaultModel = defaultModel;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public Conversation start(CallContext context) {
        AgentConfig agent = context.agent();
        ArrayNode messages = JSON.createArrayNode();
        if (agent != null && agent.getSystemPrompt() != null) {
            messages.addObject().put("role", "system").put("content", agent.getSystemPrompt());
        }
        String model = agent != null && agent.getLlm().getModel() != null ? agent.getLlm().getModel() : defaultModel;
        return new OpenAiConversation(messages, model, tools(agent), agent == null ? null : agent.getGreeting());
    }

    private static ArrayNode tools(AgentConfig agent) {
        ArrayNode tools = JSON.createArrayNode();
        if (agent != null) {
            for (ToolDefinition tool : agent.getTools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.getName()).put("description", tool.getDescription());
                function.set("parameters", JSON.readTree(tool.getParametersJsonSchema()));
            }
        }
        return tools;
    }

    /** The message history of one call. */
    private final class OpenAiConversation implements Conversation {

        private final ArrayNode messages;
        private final String model;
        private final ArrayNode tools;
        private final String greeting;
        private ObjectNode lastAssistant;

        OpenAiConversation(ArrayNode messages, String model, ArrayNode tools, String greeting) {
            this.messages = messages;
            this.model = model;
            this.tools = tools;
            this.greeting = greeting;
        }

        @Override
        public synchronized Reply respond(BrainInput input, ReplyListener listener) {
            switch (input) {
                case BrainInput.Start start -> {
                    if (greeting != null) {
                        lastAssistant = messages.addObject().put("role", "assistant").put("content", greeting);
                        listener.text(greeting);
                    }
                    listener.done(false);
                    return () -> {
                    };
                }
                case BrainInput.UserText user -> messages.addObject().put("role", "user").put("content", user.text());
                case BrainInput.Dtmf dtmf -> messages.addObject().put("role", "user")
                        .put("content", "(the caller pressed the keys " + dtmf.digits() + ")");
                case BrainInput.ToolResults results -> results.results().forEach(r -> messages.addObject()
                        .put("role", "tool").put("tool_call_id", r.call().id()).put("content", r.resultJson()));
            }
            ObjectNode body = JSON.createObjectNode().put("model", model).put("stream", true);
            body.set("messages", messages.deepCopy());
            if (!tools.isEmpty()) {
                body.set("tools", tools);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
            if (apiKey != null) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            ChatStream stream = new ChatStream(listener, this::remember);
            STREAMS.execute(() -> stream.run(() -> http.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream())));
            return stream::cancel;
        }

        @Override
        public synchronized void interrupted(String heardText) {
            if (lastAssistant != null && lastAssistant.has("content")) {
                lastAssistant.put("content", heardText);
            }
        }

        private synchronized void remember(ObjectNode assistant) {
            messages.add(assistant);
            lastAssistant = assistant;
        }
    }
}
