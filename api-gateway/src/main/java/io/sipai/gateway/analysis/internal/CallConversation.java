package io.sipai.gateway.analysis.internal;

import static io.sipai.gateway.db.jooq.Tables.TIMELINE_ENTRIES;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What was said and done in one ended call, read from its projected timeline entries (the event log as the
 * timeline accepted it): the caller's final transcripts, what the agent said (what the caller heard of it when
 * cut), the tool calls with their outcome, DTMF, and how the call ended.
 *
 * @param lines      the conversation in order, each prefixed with who ("Caller: ", "Agent: ", "Tool ", "DTMF ")
 * @param callerSaid the caller's final transcripts
 * @param agentSaid  what the agent said, as heard
 * @param toolData   the arguments of the tool calls that succeeded, merged (later calls win)
 * @param failedTools names of the tool calls that failed
 * @param endReason  the CallEnded reason, or null
 */
record CallConversation(List<String> lines, List<String> callerSaid, List<String> agentSaid,
                        Map<String, JsonNode> toolData, List<String> failedTools, String endReason) {

    /** Entries read at most: a conversation longer than this is analyzed from its beginning. */
    static final int MAX_ENTRIES = 5_000;

    static CallConversation load(DSLContext db, ObjectMapper mapper, String callId) {
        List<String> payloads = db.select(TIMELINE_ENTRIES.PAYLOAD).from(TIMELINE_ENTRIES)
                .where(TIMELINE_ENTRIES.CALL_ID.eq(callId)).orderBy(TIMELINE_ENTRIES.SEQ).limit(MAX_ENTRIES)
                .fetch(TIMELINE_ENTRIES.PAYLOAD);
        Builder conversation = new Builder();
        for (String payload : payloads) {
            conversation.add(mapper, mapper.readTree(payload).path("payload"));
        }
        return conversation.build();
    }

    /** Accumulates the entries of one call. */
    private static final class Builder {
        private final List<String> lines = new ArrayList<>();
        private final List<String> callerSaid = new ArrayList<>();
        private final List<String> agentSaid = new ArrayList<>();
        private final Map<String, JsonNode> pendingArguments = new LinkedHashMap<>();
        private final Map<String, JsonNode> toolData = new LinkedHashMap<>();
        private final List<String> failedTools = new ArrayList<>();
        private String endReason;

        void add(ObjectMapper mapper, JsonNode payload) {
            switch (payload.path("type").asString()) {
                case "TranscriptChunk" -> {
                    if (payload.path("isFinal").asBoolean() && !payload.path("text").asString().isBlank()) {
                        callerSaid.add(payload.path("text").asString());
                        lines.add("Caller: " + payload.path("text").asString());
                    }
                }
                case "AgentUtterance" -> {
                    JsonNode heard = payload.path("heardText");
                    String text = heard.isString() ? heard.asString() : payload.path("text").asString();
                    if (!text.isBlank()) {
                        agentSaid.add(text);
                        lines.add("Agent: " + text + (payload.path("interrupted").asBoolean() ? " (cut off)" : ""));
                    }
                }
                case "ToolCallRequested" -> {
                    pendingArguments.put(payload.path("toolCallId").asString(),
                            arguments(mapper, payload.path("argumentsJson").asString()));
                    lines.add("Tool " + payload.path("name").asString() + " called with "
                            + payload.path("argumentsJson").asString());
                }
                case "ToolCallCompleted" -> completed(payload);
                case "DtmfReceived" -> lines.add("DTMF " + payload.path("digits").asString());
                case "CallEnded" -> endReason = payload.path("reason").asString();
                default -> {
                }
            }
        }

        private void completed(JsonNode payload) {
            JsonNode arguments = pendingArguments.remove(payload.path("toolCallId").asString());
            String name = payload.path("name").asString();
            if (payload.path("success").asBoolean()) {
                if (arguments != null && arguments.isObject()) {
                    arguments.properties().forEach(field -> toolData.put(field.getKey(), field.getValue()));
                }
                lines.add("Tool " + name + " returned " + payload.path("resultJson").asString());
            } else {
                failedTools.add(name);
                lines.add("Tool " + name + " failed: " + payload.path("error").asString());
            }
        }

        private static JsonNode arguments(ObjectMapper mapper, String json) {
            try {
                return mapper.readTree(json);
            } catch (RuntimeException e) {
                return null;
            }
        }

        CallConversation build() {
            return new CallConversation(List.copyOf(lines), List.copyOf(callerSaid), List.copyOf(agentSaid),
                    Map.copyOf(toolData), List.copyOf(failedTools), endReason);
        }
    }
}
