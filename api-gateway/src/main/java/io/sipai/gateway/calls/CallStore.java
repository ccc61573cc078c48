package io.sipai.gateway.calls;

import static io.sipai.gateway.internal.db.jooq.Tables.AGENTS;
import static io.sipai.gateway.internal.db.jooq.Tables.CALLS;
import static io.sipai.gateway.internal.db.jooq.Tables.CAMPAIGNS;
import static io.sipai.gateway.internal.db.jooq.Tables.TIMELINE_ENTRIES;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.sipai.gateway.internal.db.jooq.tables.records.CallsRecord;
import io.sipai.gateway.internal.web.Paging;
import io.sipai.gateway.problems.ApiException;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * Calls and timeline entries in PostgreSQL, as the API reads them. The gateway writes a call once when it is
 * requested (version 0); everything after comes from the projection of {@code call.timeline.v1}.
 */
@Repository
public class CallStore {

    private final DSLContext db;

    public CallStore(DSLContext db) {
        this.db = db;
    }

    /** A newly requested call. */
    public record NewCall(String callId, String tenantId, String campaignId, String agentId, String direction,
                          String transport, String from, String to, String provider) {
    }

    /** List filters; null means any. */
    public record Filter(String status, String campaignId, String agentId, OffsetDateTime from, OffsetDateTime to) {
    }

    /** One page and the cursor of the next, null at the end. */
    public record Page<T>(List<T> data, String nextCursor) {
    }

    /** One timeline entry; payload is the event as JSON text. */
    public record Entry(long seq, String eventId, String eventType, OffsetDateTime occurredAt, String source,
                        String payload) {
    }

    /** Records a requested call unless it is known already; false when it was known. */
    public boolean insertRequested(NewCall call) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return db.insertInto(CALLS).set(CALLS.CALL_ID, call.callId()).set(CALLS.TENANT_ID, call.tenantId())
                .set(CALLS.CAMPAIGN_ID, call.campaignId()).set(CALLS.AGENT_ID, call.agentId())
                .set(CALLS.STATUS, "REQUESTED").set(CALLS.DIRECTION, call.direction())
                .set(CALLS.TRANSPORT, call.transport()).set(CALLS.FROM_PARTY, call.from())
                .set(CALLS.TO_PARTY, call.to()).set(CALLS.PROVIDER, call.provider()).set(CALLS.REQUESTED_AT, now)
                .set(CALLS.TURNS, 0).set(CALLS.AGENT_UTTERANCES, 0).set(CALLS.TOOL_CALLS, 0)
                .set(CALLS.BARGE_INS, 0).set(CALLS.DTMF_COUNT, 0).set(CALLS.ENTRY_COUNT, 0L)
                .set(CALLS.VERSION, 0L).set(CALLS.CREATED_AT, now).onConflictDoNothing().execute() == 1;
    }

    /** Marks a call the gateway saw rejected or failed, unless the projection already knows better. */
    public void markStatus(String callId, String status) {
        db.update(CALLS).set(CALLS.STATUS, status).where(CALLS.CALL_ID.eq(callId), CALLS.VERSION.eq(0L)).execute();
    }

    public void setProviderCallSid(String callId, String sid) {
        db.update(CALLS).set(CALLS.PROVIDER_CALL_SID, sid).where(CALLS.CALL_ID.eq(callId)).execute();
    }

    public boolean agentExists(String tenantId, String agentId) {
        return db.fetchExists(AGENTS, AGENTS.AGENT_ID.eq(agentId), AGENTS.TENANT_ID.eq(tenantId));
    }

    /** The campaign's agent, empty when the tenant has no such campaign; present-but-null when it has none. */
    public Optional<Optional<String>> campaignAgent(String tenantId, String campaignId) {
        return db.select(CAMPAIGNS.AGENT_ID).from(CAMPAIGNS)
                .where(CAMPAIGNS.CAMPAIGN_ID.eq(campaignId), CAMPAIGNS.TENANT_ID.eq(tenantId))
                .fetchOptional(r -> Optional.ofNullable(r.value1()));
    }

    /** The call of any tenant (telephony callbacks carry no API key). */
    public Optional<CallView> byId(String callId) {
        return db.selectFrom(CALLS).where(CALLS.CALL_ID.eq(callId)).fetchOptional().map(CallStore::view);
    }

    /** The tenant's call, or 404. */
    public CallView get(String tenantId, String callId) {
        return db.selectFrom(CALLS).where(CALLS.CALL_ID.eq(callId), CALLS.TENANT_ID.eq(tenantId)).fetchOptional()
                .map(CallStore::view).orElseThrow(() -> ApiException.notFound("call", callId));
    }

    /** Newest first, cursor-paged on (created_at, call_id). */
    public Page<CallView> list(String tenantId, Filter filter, String cursor, int limit) {
        List<Condition> where = new ArrayList<>(List.of(CALLS.TENANT_ID.eq(tenantId)));
        if (filter.status() != null) {
            where.add(CALLS.STATUS.eq(filter.status()));
        }
        if (filter.campaignId() != null) {
            where.add(CALLS.CAMPAIGN_ID.eq(filter.campaignId()));
        }
        if (filter.agentId() != null) {
            where.add(CALLS.AGENT_ID.eq(filter.agentId()));
        }
        if (filter.from() != null) {
            where.add(CALLS.CREATED_AT.ge(filter.from()));
        }
        if (filter.to() != null) {
            where.add(CALLS.CREATED_AT.lt(filter.to()));
        }
        if (cursor != null) {
            String[] position = decodeCursor(cursor);
            OffsetDateTime at = OffsetDateTime.parse(position[0]);
            where.add(DSL.row(CALLS.CREATED_AT, CALLS.CALL_ID).lt(at, position[1]));
        }
        List<CallView> rows = db.selectFrom(CALLS).where(where).orderBy(CALLS.CREATED_AT.desc(), CALLS.CALL_ID.desc())
                .limit(limit + 1).fetch(CallStore::view);
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        CallView last = rows.get(limit - 1);
        return new Page<>(rows.subList(0, limit), Paging.encodeCursor(last.createdAt() + "|" + last.id()));
    }

    /** Entries with seq > after, in order; 404 when the tenant has no such call. */
    public Page<Entry> timeline(String tenantId, String callId, long after, int limit) {
        boolean known = db.fetchExists(CALLS, CALLS.CALL_ID.eq(callId), CALLS.TENANT_ID.eq(tenantId));
        if (!known) {
            throw ApiException.notFound("call", callId);
        }
        List<Entry> entries = db.select(TIMELINE_ENTRIES.SEQ, TIMELINE_ENTRIES.EVENT_ID, TIMELINE_ENTRIES.EVENT_TYPE,
                        TIMELINE_ENTRIES.OCCURRED_AT, TIMELINE_ENTRIES.SOURCE, TIMELINE_ENTRIES.PAYLOAD)
                .from(TIMELINE_ENTRIES)
                .where(TIMELINE_ENTRIES.CALL_ID.eq(callId), TIMELINE_ENTRIES.TENANT_ID.eq(tenantId),
                        TIMELINE_ENTRIES.SEQ.gt(after))
                .orderBy(TIMELINE_ENTRIES.SEQ).limit(limit + 1)
                .fetch(r -> new Entry(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
        if (entries.size() <= limit) {
            return new Page<>(entries, null);
        }
        return new Page<>(entries.subList(0, limit), Long.toString(entries.get(limit - 1).seq()));
    }

    /** A list cursor's position: the last row's creation time and call id. */
    private static String[] decodeCursor(String cursor) {
        String[] parts = Paging.decodeCursor(cursor).split("\\|", 2);
        try {
            OffsetDateTime.parse(parts[0]);
        } catch (RuntimeException e) {
            throw Paging.badCursor();
        }
        if (parts.length != 2) {
            throw Paging.badCursor();
        }
        return parts;
    }

    static CallView view(Record record) {
        CallsRecord r = record.into(CALLS);
        return new CallView(r.getCallId(), r.getTenantId(), r.getCampaignId(), r.getAgentId(), r.getStatus(),
                r.getDirection(), r.getTransport(), r.getFromParty(), r.getToParty(), r.getProvider(),
                r.getProviderCallSid(), r.getRequestedAt(), r.getAdmittedAt(), r.getStartedAt(), r.getAnsweredAt(),
                r.getEndedAt(), r.getEndReason(), r.getDurationMs(), r.getTurns(), r.getAgentUtterances(),
                r.getToolCalls(), r.getBargeIns(), r.getDtmfCount(), r.getEntryCount(), r.getLastEventAt(),
                r.getVersion(), r.getCreatedAt());
    }
}
