package io.sipai.gateway.agents.internal;

import static io.sipai.gateway.db.jooq.Tables.AGENTS;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.config.AgentConfig;
import io.sipai.config.BargeInSettings;
import io.sipai.config.EndpointingSettings;
import io.sipai.config.ProviderSettings;
import io.sipai.config.ToolDefinition;
import io.sipai.config.ToolKind;
import io.sipai.gateway.db.jooq.AgentsRecord;
import io.sipai.gateway.kafka.RecordPublisher;
import io.sipai.gateway.problems.ApiException;
import io.sipai.schemas.Topics;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * Agents: rows in PostgreSQL and records on compacted {@code agent.config.v1} (key agentId). The row and the
 * record are written in one database transaction that commits only after the broker acknowledged the record, so
 * a failed publish leaves nothing half-written. A delete publishes deleted=true, then a tombstone.
 */
@Service
public class AgentService {

    private final DSLContext db;
    private final RecordPublisher publisher;
    private final ObjectMapper mapper;
    private final Clock clock;

    public AgentService(DSLContext db, RecordPublisher publisher, ObjectMapper mapper, Clock clock) {
        this.db = db;
        this.publisher = publisher;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** An agent as the API shows it. */
    public record AgentView(String id, String tenantId, long version, OffsetDateTime createdAt,
                            OffsetDateTime updatedAt, AgentSpec spec) {
    }

    public AgentView create(String tenantId, AgentSpec spec) {
        AgentValidation.check(spec);
        String id = "agt_" + UUID.randomUUID().toString().replace("-", "");
        return db.transactionResult(configuration -> {
            AgentsRecord row = DSL.using(configuration).newRecord(AGENTS);
            OffsetDateTime now = now();
            row.setAgentId(id);
            row.setTenantId(tenantId);
            row.setVersion(1L);
            row.setCreatedAt(now);
            fill(row, spec, now);
            row.store();
            publish(row, spec, false);
            return view(row);
        });
    }

    public AgentView replace(String tenantId, String id, AgentSpec spec) {
        AgentValidation.check(spec);
        return db.transactionResult(configuration -> {
            AgentsRecord row = DSL.using(configuration).selectFrom(AGENTS)
                    .where(AGENTS.AGENT_ID.eq(id), AGENTS.TENANT_ID.eq(tenantId)).forUpdate().fetchOptional()
                    .orElseThrow(() -> ApiException.notFound("agent", id));
            row.setVersion(row.getVersion() + 1);
            fill(row, spec, now());
            row.store();
            publish(row, spec, false);
            return view(row);
        });
    }

    public void delete(String tenantId, String id) {
        db.transaction(configuration -> {
            AgentsRecord row = DSL.using(configuration).selectFrom(AGENTS)
                    .where(AGENTS.AGENT_ID.eq(id), AGENTS.TENANT_ID.eq(tenantId)).forUpdate().fetchOptional()
                    .orElseThrow(() -> ApiException.notFound("agent", id));
            row.setVersion(row.getVersion() + 1);
            row.setUpdatedAt(now());
            publish(row, spec(row), true);
            publisher.sendAndWait(Topics.AGENT_CONFIG, id, null);
            row.delete();
        });
    }

    public AgentView get(String tenantId, String id) {
        return db.selectFrom(AGENTS).where(AGENTS.AGENT_ID.eq(id), AGENTS.TENANT_ID.eq(tenantId)).fetchOptional()
                .map(this::view).orElseThrow(() -> ApiException.notFound("agent", id));
    }

    public List<AgentView> list(String tenantId) {
        return db.selectFrom(AGENTS).where(AGENTS.TENANT_ID.eq(tenantId)).orderBy(AGENTS.CREATED_AT).limit(1_000)
                .fetch(this::view);
    }

    private void fill(AgentsRecord row, AgentSpec spec, OffsetDateTime now) {
        row.setName(spec.name().strip());
        row.setSpec(mapper.writeValueAsString(spec));
        row.setUpdatedAt(now);
    }

    private void publish(AgentsRecord row, AgentSpec spec, boolean deleted) {
        publisher.sendAndWait(Topics.AGENT_CONFIG, row.getAgentId(), config(row, spec, deleted));
    }

    private AgentConfig config(AgentsRecord row, AgentSpec spec, boolean deleted) {
        AgentSpec.BargeIn bargeIn = spec.bargeIn() == null ? new AgentSpec.BargeIn(null, null, null) : spec.bargeIn();
        AgentSpec.Endpointing endpointing = spec.endpointing() == null ? new AgentSpec.Endpointing(null, null, null)
                : spec.endpointing();
        return AgentConfig.newBuilder().setAgentId(row.getAgentId()).setTenantId(row.getTenantId())
                .setVersion(row.getVersion()).setUpdatedAt(row.getUpdatedAt().toInstant()).setDeleted(deleted)
                .setName(row.getName()).setGreeting(spec.greeting()).setSystemPrompt(spec.systemPrompt())
                .setLanguage(spec.language() == null ? "en-US" : spec.language()).setVoice(spec.voice())
                .setAsr(provider(spec.asr())).setLlm(provider(spec.llm())).setTts(provider(spec.tts()))
                .setTools(spec.tools() == null ? List.of() : spec.tools().stream().map(this::tool).toList())
                .setBargeIn(new BargeInSettings(bargeIn.enabled() == null || bargeIn.enabled(),
                        bargeIn.minSpeechMs() == null ? 200 : bargeIn.minSpeechMs(),
                        bargeIn.backchannelMs() == null ? 800 : bargeIn.backchannelMs()))
                .setEndpointing(new EndpointingSettings(endpointing.silenceMs() == null ? 700
                        : endpointing.silenceMs(), endpointing.pauseMs() == null ? 250 : endpointing.pauseMs(),
                        endpointing.vadThresholdDb() == null ? -45f : endpointing.vadThresholdDb()))
                .setSilencePromptMs(spec.silencePromptMs() == null ? 8_000 : spec.silencePromptMs())
                .setSilenceHangupMs(spec.silenceHangupMs() == null ? 8_000 : spec.silenceHangupMs())
                .setMaxDurationSec(spec.maxDurationSec() == null ? 3_600 : spec.maxDurationSec())
                .setScriptJson(spec.script())
                .setRecording(spec.recording() == null ? null : spec.recording().settings())
                .setVoicemail(spec.voicemail() == null ? null : spec.voicemail().settings()).build();
    }

    private static ProviderSettings provider(AgentSpec.Provider provider) {
        return provider == null ? new ProviderSettings("offline", null, Map.of())
                : new ProviderSettings(provider.provider(), provider.model(),
                provider.options() == null ? Map.of() : provider.options());
    }

    private ToolDefinition tool(AgentSpec.Tool tool) {
        return new ToolDefinition(tool.name(), tool.description(), tool.parameters() == null
                ? "{\"type\":\"object\",\"properties\":{}}" : mapper.writeValueAsString(tool.parameters()),
                ToolKind.valueOf(tool.type().name()), tool.url(), tool.timeoutMs() == null ? 5_000 : tool.timeoutMs());
    }

    private AgentSpec spec(AgentsRecord row) {
        return mapper.readValue(row.getSpec(), AgentSpec.class);
    }

    private AgentView view(AgentsRecord row) {
        return new AgentView(row.getAgentId(), row.getTenantId(), row.getVersion(), row.getCreatedAt(),
                row.getUpdatedAt(), spec(row));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
