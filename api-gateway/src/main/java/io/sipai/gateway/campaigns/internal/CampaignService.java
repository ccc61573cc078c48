package io.sipai.gateway.campaigns.internal;

import static io.sipai.gateway.db.jooq.Tables.AGENTS;
import static io.sipai.gateway.db.jooq.Tables.CAMPAIGNS;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.sipai.config.CampaignConfig;
import io.sipai.gateway.agents.CallFeatures;
import io.sipai.gateway.db.jooq.CampaignsRecord;
import io.sipai.gateway.kafka.RecordPublisher;
import io.sipai.gateway.problems.ApiException;
import io.sipai.schemas.Topics;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * Campaigns: rows in PostgreSQL and records on compacted {@code campaign.config.v1} (key campaignId), which
 * admission reads for the per-campaign limit. Written like agents: the row commits only after the broker acked.
 */
@Service
public class CampaignService {

    private final DSLContext db;
    private final RecordPublisher publisher;
    private final ObjectMapper mapper;
    private final Clock clock;

    public CampaignService(DSLContext db, RecordPublisher publisher, ObjectMapper mapper, Clock clock) {
        this.db = db;
        this.publisher = publisher;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * Body of POST and PUT /v1/campaigns; maxConcurrency null means TELEPHONY_PER_CAMPAIGN_MAX_CONCURRENCY;
     * recording and voicemail, when given, override the agent's for the campaign's calls.
     */
    public record CampaignSpec(String name, String agentId, Integer maxConcurrency, CallFeatures.Recording recording,
                               CallFeatures.Voicemail voicemail) {
    }

    public record CampaignView(String id, String tenantId, long version, String name, String agentId,
                               Integer maxConcurrency, CallFeatures.Recording recording,
                               CallFeatures.Voicemail voicemail, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    public CampaignView create(String tenantId, CampaignSpec spec) {
        return db.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            check(tx, tenantId, spec);
            CampaignsRecord row = tx.newRecord(CAMPAIGNS);
            row.setCampaignId("cmp_" + UUID.randomUUID().toString().replace("-", ""));
            row.setTenantId(tenantId);
            row.setVersion(1L);
            row.setCreatedAt(now());
            fill(row, spec);
            row.store();
            publish(row, false);
            return view(row);
        });
    }

    public CampaignView replace(String tenantId, String id, CampaignSpec spec) {
        return db.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            CampaignsRecord row = locked(tx, tenantId, id);
            check(tx, tenantId, spec);
            row.setVersion(row.getVersion() + 1);
            fill(row, spec);
            row.store();
            publish(row, false);
            return view(row);
        });
    }

    public void delete(String tenantId, String id) {
        db.transaction(configuration -> {
            CampaignsRecord row = locked(DSL.using(configuration), tenantId, id);
            row.setVersion(row.getVersion() + 1);
            row.setUpdatedAt(now());
            publish(row, true);
            publisher.sendAndWait(Topics.CAMPAIGN_CONFIG, id, null);
            row.delete();
        });
    }

    public CampaignView get(String tenantId, String id) {
        return db.selectFrom(CAMPAIGNS).where(CAMPAIGNS.CAMPAIGN_ID.eq(id), CAMPAIGNS.TENANT_ID.eq(tenantId))
                .fetchOptional().map(this::view).orElseThrow(() -> ApiException.notFound("campaign", id));
    }

    public List<CampaignView> list(String tenantId) {
        return db.selectFrom(CAMPAIGNS).where(CAMPAIGNS.TENANT_ID.eq(tenantId)).orderBy(CAMPAIGNS.CREATED_AT)
                .limit(1_000).fetch(this::view);
    }

    private static CampaignsRecord locked(DSLContext tx, String tenantId, String id) {
        return tx.selectFrom(CAMPAIGNS).where(CAMPAIGNS.CAMPAIGN_ID.eq(id), CAMPAIGNS.TENANT_ID.eq(tenantId))
                .forUpdate().fetchOptional().orElseThrow(() -> ApiException.notFound("campaign", id));
    }

    private static void check(DSLContext tx, String tenantId, CampaignSpec spec) {
        if (spec.name() == null || spec.name().isBlank()) {
            throw ApiException.invalid("name", "is required");
        }
        if (spec.name().length() > 200) {
            throw ApiException.invalid("name", "must be at most 200 characters");
        }
        if (spec.maxConcurrency() != null && (spec.maxConcurrency() < 1 || spec.maxConcurrency() > 100_000)) {
            throw ApiException.invalid("maxConcurrency", "must be between 1 and 100000");
        }
        if (spec.agentId() != null
                && !tx.fetchExists(AGENTS, AGENTS.AGENT_ID.eq(spec.agentId()), AGENTS.TENANT_ID.eq(tenantId))) {
            throw ApiException.invalid("agentId", "no such agent");
        }
        new CallFeatures.Overrides(spec.recording(), spec.voicemail()).validate();
    }

    private void fill(CampaignsRecord row, CampaignSpec spec) {
        row.setName(spec.name().strip());
        row.setAgentId(spec.agentId());
        row.setMaxConcurrency(spec.maxConcurrency());
        CallFeatures.Overrides overrides = new CallFeatures.Overrides(spec.recording(), spec.voicemail());
        row.setOverrides(overrides.isEmpty() ? null : mapper.writeValueAsString(overrides));
        row.setUpdatedAt(now());
    }

    private void publish(CampaignsRecord row, boolean deleted) {
        publisher.sendAndWait(Topics.CAMPAIGN_CONFIG, row.getCampaignId(), CampaignConfig.newBuilder()
                .setCampaignId(row.getCampaignId()).setTenantId(row.getTenantId()).setVersion(row.getVersion())
                .setUpdatedAt(row.getUpdatedAt().toInstant()).setDeleted(deleted).setName(row.getName())
                .setAgentId(row.getAgentId()).setMaxConcurrency(row.getMaxConcurrency()).build());
    }

    private CampaignView view(CampaignsRecord row) {
        CallFeatures.Overrides overrides = row.getOverrides() == null ? CallFeatures.Overrides.NONE
                : mapper.readValue(row.getOverrides(), CallFeatures.Overrides.class);
        return new CampaignView(row.getCampaignId(), row.getTenantId(), row.getVersion(), row.getName(),
                row.getAgentId(), row.getMaxConcurrency(), overrides.recording(), overrides.voicemail(),
                row.getCreatedAt(), row.getUpdatedAt());
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
