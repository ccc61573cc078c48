package io.sipai.gateway.analysis.internal;

import static io.sipai.gateway.db.jooq.Tables.AGENTS;

import java.util.Optional;

import org.jooq.DSLContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What an agent asks of the analysis of its calls (its spec's {@code analysis}) and which model it talks to.
 *
 * @param summaryPrompt   extra instructions for the summary, or null
 * @param structuredData  the JSON Schema of the data to extract, or null for none
 * @param successCriteria what makes a call a success, in words, or null
 * @param llmProvider     the agent's llm provider (openai, scripted, offline)
 * @param model           the agent's llm model, or null for the platform's default
 */
record AgentAnalysis(String summaryPrompt, JsonNode structuredData, String successCriteria, String llmProvider,
                     String model) {

    /** The agent's analysis settings, or empty when the agent is gone or asks for no analysis. */
    static Optional<AgentAnalysis> load(DSLContext db, ObjectMapper mapper, String agentId) {
        if (agentId == null) {
            return Optional.empty();
        }
        return db.select(AGENTS.SPEC).from(AGENTS).where(AGENTS.AGENT_ID.eq(agentId)).fetchOptional(AGENTS.SPEC)
                .map(mapper::readTree).filter(spec -> spec.path("analysis").isObject())
                .map(spec -> {
                    JsonNode analysis = spec.path("analysis");
                    JsonNode schema = analysis.path("structuredData");
                    return new AgentAnalysis(text(analysis.path("summaryPrompt")), schema.isObject() ? schema : null,
                            text(analysis.path("successCriteria")), text(spec.path("llm").path("provider")),
                            text(spec.path("llm").path("model")));
                });
    }

    private static String text(JsonNode node) {
        return node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }
}
