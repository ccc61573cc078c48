package io.sipai.gateway.analysis.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.sipai.runtime.openai.OpenAiSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The analysis made by an OpenAI-compatible model: one Chat Completions request with the call's conversation and a
 * strict JSON Schema response format ({@code summary}, {@code success}, {@code successReason}, and
 * {@code structuredData} in the agent's own schema when it asks for data). An answer that is not that JSON is
 * refused as malformed, like an HTTP error or a timeout, and the worker retries it.
 */
final class OpenAiAnalyzer {

    private final OpenAiSettings settings;
    private final ObjectMapper mapper;
    private final HttpClient http;
    private final Duration timeout;

    OpenAiAnalyzer(OpenAiSettings settings, ObjectMapper mapper, Duration timeout) {
        this.settings = settings;
        this.mapper = mapper;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Thrown for an attempt that failed; its message says why. */
    static final class AttemptFailed extends Exception {
        AttemptFailed(String message) {
            super(message);
        }
    }

    Analysis analyze(CallConversation call, AgentAnalysis agent) throws AttemptFailed, InterruptedException {
        String model = agent.model() != null ? agent.model() : settings.model();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + "/chat/completions"))
                .timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body(call, agent, model)),
                        StandardCharsets.UTF_8));
        if (settings.apiKey() != null) {
            request.header("Authorization", "Bearer " + settings.apiKey());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AttemptFailed("model request failed: " + e);
        }
        if (response.statusCode() != 200) {
            throw new AttemptFailed("model answered HTTP " + response.statusCode());
        }
        return parse(response.body(), agent, "openai:" + model);
    }

    private Map<String, Object> body(CallConversation call, AgentAnalysis agent, String model) {
        String instructions = "You analyze a finished phone call between a caller and an AI voice agent. Answer "
                + "with JSON only. summary: what happened, in at most three sentences. success: whether the call "
                + "met the success criteria. successReason: why, in one sentence."
                + (agent.summaryPrompt() != null ? "\nSummary instructions: " + agent.summaryPrompt() : "")
                + "\nSuccess criteria: " + (agent.successCriteria() != null ? agent.successCriteria()
                : "the caller got what they called for")
                + (agent.structuredData() != null ? "\nstructuredData: the data the schema asks for, null where the "
                + "call did not say." : "");
        String conversation = call.lines().isEmpty() ? "(nothing was said)" : String.join("\n", call.lines())
                + (call.endReason() != null ? "\nCall ended: " + call.endReason() : "");
        return Map.of("model", model, "temperature", 0,
                "messages", List.of(Map.of("role", "system", "content", instructions),
                        Map.of("role", "user", "content", conversation)),
                "response_format", Map.of("type", "json_schema", "json_schema", Map.of("name", "call_analysis",
                        "strict", true, "schema", schema(agent))));
    }

    private ObjectNode schema(AgentAnalysis agent) {
        ObjectNode schema = mapper.createObjectNode().put("type", "object").put("additionalProperties", false);
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("summary").put("type", "string");
        properties.putObject("success").put("type", "boolean");
        properties.putObject("successReason").put("type", "string");
        var required = schema.putArray("required").add("summary").add("success").add("successReason");
        if (agent.structuredData() != null) {
            properties.set("structuredData", agent.structuredData());
            required.add("structuredData");
        }
        return schema;
    }

    private Analysis parse(String body, AgentAnalysis agent, String engine) throws AttemptFailed {
        JsonNode content;
        try {
            JsonNode message = mapper.readTree(body).path("choices").path(0).path("message");
            if (message.path("refusal").isString()) {
                throw new AttemptFailed("the model refused: " + message.path("refusal").asString());
            }
            content = mapper.readTree(message.path("content").asString());
        } catch (RuntimeException e) {
            throw new AttemptFailed("malformed model answer: not the JSON asked for");
        }
        JsonNode summary = content.path("summary");
        JsonNode success = content.path("success");
        JsonNode data = content.path("structuredData");
        if (!summary.isString() || summary.asString().isBlank() || !success.isBoolean()
                || (agent.structuredData() != null && !data.isObject())) {
            throw new AttemptFailed("malformed model answer: summary, success"
                    + (agent.structuredData() != null ? " or structuredData" : "") + " missing or of the wrong type");
        }
        JsonNode reason = content.path("successReason");
        return new Analysis(summary.asString(), agent.structuredData() != null ? mapper.writeValueAsString(data) : null,
                success.asBoolean(), reason.isString() ? reason.asString() : null, engine);
    }
}
