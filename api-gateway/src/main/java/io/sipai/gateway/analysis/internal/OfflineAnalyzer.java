package io.sipai.gateway.analysis.internal;

import java.util.Locale;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The analysis made without a model, the same every time for the same call: an extractive summary (the caller's
 * first request, the agent's last words, the tools used and how the call ended), the structured data filled from
 * the arguments of the tool calls that succeeded (a scripted agent's collected slots reach its tools that way), and
 * success when the agent ended the call (a script ends when it reached its goal) with no tool call failing.
 */
final class OfflineAnalyzer {

    static final String ENGINE = "offline";

    private final ObjectMapper mapper;

    OfflineAnalyzer(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    Analysis analyze(CallConversation call, AgentAnalysis agent) {
        return new Analysis(summary(call), structuredData(call, agent), success(call), successReason(call), ENGINE);
    }

    private static String summary(CallConversation call) {
        StringBuilder summary = new StringBuilder();
        if (call.callerSaid().isEmpty()) {
            summary.append("The caller said nothing the agent understood.");
        } else {
            summary.append("The caller said: \u201c").append(call.callerSaid().getFirst()).append("\u201d.");
        }
        if (!call.agentSaid().isEmpty()) {
            summary.append(" The agent's last words: \u201c").append(call.agentSaid().getLast()).append("\u201d.");
        }
        summary.append(String.format(Locale.ROOT, " %d caller turn%s, %d agent utterance%s", call.callerSaid().size(),
                call.callerSaid().size() == 1 ? "" : "s", call.agentSaid().size(),
                call.agentSaid().size() == 1 ? "" : "s"));
        if (!call.toolData().isEmpty() || !call.failedTools().isEmpty()) {
            summary.append(", tool data ").append(call.toolData().keySet());
        }
        summary.append('.');
        if (call.endReason() != null) {
            summary.append(" Ended: ").append(call.endReason()).append('.');
        }
        return summary.toString();
    }

    private String structuredData(CallConversation call, AgentAnalysis agent) {
        if (agent.structuredData() == null) {
            return null;
        }
        ObjectNode data = mapper.createObjectNode();
        JsonNode properties = agent.structuredData().path("properties");
        if (properties.isObject()) {
            for (String name : properties.propertyNames()) {
                JsonNode value = call.toolData().get(name);
                data.set(name, value == null ? data.nullNode() : value);
            }
        }
        return mapper.writeValueAsString(data);
    }

    private static boolean success(CallConversation call) {
        return "AGENT_HANGUP".equals(call.endReason()) && call.failedTools().isEmpty();
    }

    private static String successReason(CallConversation call) {
        if (!call.failedTools().isEmpty()) {
            return "tool call failed: " + String.join(", ", call.failedTools());
        }
        return "AGENT_HANGUP".equals(call.endReason()) ? "the agent ended the call once its dialog reached its end"
                : "the call ended (" + call.endReason() + ") before the agent reached the end of its dialog";
    }
}
