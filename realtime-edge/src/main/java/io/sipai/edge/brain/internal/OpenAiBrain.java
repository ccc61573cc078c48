package io.sipai.edge.brain.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.sipai.config.AgentConfig;
import io.sipai.config.ToolDefinition;
import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.session.CallContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The LLM brain: any OpenAI-compatible Chat Completions endpoint ({@code POST <base>/chat/completions} with
 * {@code stream: true}), read as server-sent events with Jetty's HTTP client, whose exchanges can be aborted (a
 * cancelled reply closes its connection, so the server stops generating and billing it). The agent's tools are offered as
 * functions; streamed tool-call fragments are assembled by index and the results go back as {@code tool}
 * messages. A reply is cancelled by closing its response stream. The greeting is spoken as configured, without a
 * request. Each call's dialog is an {@link OpenAiConversation}, which also speculates.
 */
public final class OpenAiBrain implements AgentBrain {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_STREAMS = 4_096;
    private static final Executor STREAMS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("openai-stream-", 1).factory());

    private final HttpClient http;
    private final URI endpoint;
    private final String apiKey;
    private final String defaultModel;
    private final Duration timeout;

    /**
     * @param http    a started Jetty client (its exchanges can be aborted, which closes their connection)
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

    /**
     * A started client for the brain: responses are not compressed (a compressed event stream can be held back by
     * the encoder), authentication challenges are not answered, connections are pooled per endpoint (up to
     * {@value #MAX_STREAMS}: each streaming reply holds one). Stop it when the service stops.
     */
    public static HttpClient startClient(Duration connectTimeout) {
        HttpClient client = new HttpClient();
        client.setConnectTimeout(connectTimeout.toMillis());
        // Every reply streams on its own connection: as many as the node's calls may stream at once.
        client.setMaxConnectionsPerDestination(MAX_STREAMS);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the brain's HTTP client did not start", e);
        }
        // Both after start, which installs them: a 401 or 407 is the model's answer to report, not a challenge to
        // answer, and no Accept-Encoding is sent.
        client.getProtocolHandlers().clear();
        client.getContentDecoderFactories().clear();
        return client;
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
        return new OpenAiConversation(this, messages, model, tools(agent), agent == null ? null : agent.getGreeting());
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

    /**
     * Streams the reply to {@code messages} (sent as they are now) to {@code listener}; {@code history} receives the
     * assistant message once the stream completed, unless it was cancelled before. Cancelling aborts the exchange.
     */
    Reply stream(ArrayNode messages, String model, ArrayNode tools, ReplyListener listener,
                 Consumer<ObjectNode> history) {
        ObjectNode body = JSON.createObjectNode().put("model", model).put("stream", true);
        body.set("messages", messages);
        if (!tools.isEmpty()) {
            body.set("tools", tools);
        }
        Request request = http.newRequest(endpoint).method(HttpMethod.POST)
                .headers(headers -> {
                    headers.put(HttpHeader.ACCEPT, "text/event-stream");
                    if (apiKey != null) {
                        headers.put(HttpHeader.AUTHORIZATION, "Bearer " + apiKey);
                    }
                })
                .body(new StringRequestContent("application/json", JSON.writeValueAsString(body),
                        StandardCharsets.UTF_8));
        ChatStream stream = new ChatStream(listener, history,
                // An IOException: Jetty rethrows a RuntimeException cause as it is from the body's read.
                () -> request.abort(new IOException("reply cancelled")));
        STREAMS.execute(() -> stream.run(() -> {
            InputStreamResponseListener response = new InputStreamResponseListener();
            request.send(response);
            Response headers = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ChatStream.Opened(headers.getStatus(), response.getInputStream());
        }));
        return stream::cancel;
    }
}
