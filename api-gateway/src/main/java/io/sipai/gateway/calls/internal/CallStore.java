package io.sipai.gateway.calls.internal;

import static io.sipai.gateway.db.jooq.Tables.AGENTS;
import static io.sipai.gateway.db.jooq.Tables.CALLS;
import static io.sipai.gateway.db.jooq.Tables.CALL_REQUESTS;
import static io.sipai.gateway.db.jooq.Tables.CAMPAIGNS;
import static io.sipai.gateway.db.jooq.Tables.TIMELINE_ENTRIES;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.sipai.gateway.calls.CallView;
import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.web.Paging;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * Calls and timeline entries in PostgreSQL, as the API reads them. A call is its row in {@code calls} (the
 * projection of {@code call.timeline.v1}, written by the projector only) once there is one, else its row in
 * {@code call_requests} (the call as the gateway requested it: version 0); either way with the provider and the
 * provider's call id from {@code call_requests}. A list reads both as one: the projected calls, and the requested
 * calls not projected yet, each side through its own (tenant, created) index.
 */
@Repository
public class CallStore {

    private final DSLContext db;

    public CallStore(DSLContext db) {
        this.db = db;
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

    /** The columns conditions apply to, in {@code calls} or in {@code call_requests}. */
    private record Columns(Field<String> callId, Field<String> tenantId, Field<String> campaignId,
                           Field<String> agentId, Field<String> status, Field<OffsetDateTime> createdAt) {
    }

    private static final Columns PROJECTED = new Columns(CALLS.CALL_ID, CALLS.TENANT_ID, CALLS.CAMPAIGN_ID,
            CALLS.AGENT_ID, CALLS.STATUS, CALLS.CREATED_AT);
    private static final Columns REQUESTED = new Columns(CALL_REQUESTS.CALL_ID, CALL_REQUESTS.TENANT_ID,
            CALL_REQUESTS.CAMPAIGN_ID, CALL_REQUESTS.AGENT_ID, CALL_REQUESTS.STATUS, CALL_REQUESTS.REQUESTED_AT);

    public boolean agentExists(String tenantId, String agentId) {
        return db.fetchExists(AGENTS, AGENTS.AGENT_ID.eq(agentId), AGENTS.TENANT_ID.eq(tenantId));
    }

    /** The agent's answering machine action (hangup, leave_message) when it asks for detection. */
    public Optional<String> voicemailAction(String agentId) {
        return db.select(DSL.field("coalesce({0}::jsonb -> 'voicemail' ->> 'action', 'hangup')", String.class,
                        AGENTS.SPEC)).from(AGENTS)
                .where(AGENTS.AGENT_ID.eq(agentId), DSL.condition("({0}::jsonb -> 'voicemail' ->> 'detect') = 'true'",
                        AGENTS.SPEC))
                .fetchOptional(r -> r.value1());
    }

    /** The campaign's agent, empty when the tenant has no such campaign; present-but-null when it has none. */
    public Optional<Optional<String>> campaignAgent(String tenantId, String campaignId) {
        return db.select(CAMPAIGNS.AGENT_ID).from(CAMPAIGNS)
                .where(CAMPAIGNS.CAMPAIGN_ID.eq(campaignId), CAMPAIGNS.TENANT_ID.eq(tenantId))
                .fetchOptional(r -> Optional.ofNullable(r.value1()));
    }

    /** The campaign's overrides of its agent's features as stored (JSON), empty when it has none. */
    public Optional<String> campaignOverrides(String tenantId, String campaignId) {
        return db.select(CAMPAIGNS.OVERRIDES).from(CAMPAIGNS)
                .where(CAMPAIGNS.CAMPAIGN_ID.eq(campaignId), CAMPAIGNS.TENANT_ID.eq(tenantId))
                .fetchOptional().map(r -> r.value1());
    }

    /** The call of any tenant (telephony callbacks carry no API key). */
    public Optional<CallView> byId(String callId) {
        Optional<CallView> projected = projected(List.of(PROJECTED.callId().eq(callId))).fetchOptional()
                .map(CallStore::view);
        return projected.isPresent() ? projected
                : requested(List.of(REQUESTED.callId().eq(callId))).fetchOptional().map(CallStore::view);
    }

    /** The tenant's call, or 404. */
    public CallView get(String tenantId, String callId) {
        return byId(callId).filter(call -> call.tenantId().equals(tenantId))
                .orElseThrow(() -> ApiException.notFound("call", callId));
    }

    /** The current views of {@code callIds} that exist, in no particular order. */
    List<CallView> views(Collection<String> callIds) {
        if (callIds.isEmpty()) {
            return List.of();
        }
        return projected(List.of(PROJECTED.callId().in(callIds)))
                .unionAll(requested(List.of(REQUESTED.callId().in(callIds)))).fetch(CallStore::view);
    }

    /** Newest first, cursor-paged on (created_at, call_id). */
    public Page<CallView> list(String tenantId, Filter filter, String cursor, int limit) {
        String[] position = cursor == null ? null : decodeCursor(cursor);
        Table<Record> merged = projected(where(PROJECTED, tenantId, filter, position))
                .unionAll(requested(where(REQUESTED, tenantId, filter, position))).asTable("merged");
        List<CallView> rows = db.selectFrom(merged)
                .orderBy(merged.field("created_at").desc(), merged.field("id").desc()).limit(limit + 1)
                .fetch(CallStore::view);
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        CallView last = rows.get(limit - 1);
        return new Page<>(rows.subList(0, limit), Paging.encodeCursor(last.createdAt() + "|" + last.id()));
    }

    /** Entries with seq > after, in order; 404 when the tenant has no such call. */
    public Page<Entry> timeline(String tenantId, String callId, long after, int limit) {
        get(tenantId, callId);
        List<Entry> entries = entriesAfter(tenantId, callId, after, limit + 1);
        if (entries.size() <= limit) {
            return new Page<>(entries, null);
        }
        return new Page<>(entries.subList(0, limit), Long.toString(entries.get(limit - 1).seq()));
    }

    /** The entries of the tenant's call with seq > {@code after}, in order, at most {@code limit}. */
    List<Entry> entriesAfter(String tenantId, String callId, long after, int limit) {
        return db.select(TIMELINE_ENTRIES.SEQ, TIMELINE_ENTRIES.EVENT_ID, TIMELINE_ENTRIES.EVENT_TYPE,
                        TIMELINE_ENTRIES.OCCURRED_AT, TIMELINE_ENTRIES.SOURCE, TIMELINE_ENTRIES.PAYLOAD)
                .from(TIMELINE_ENTRIES)
                .where(TIMELINE_ENTRIES.CALL_ID.eq(callId), TIMELINE_ENTRIES.TENANT_ID.eq(tenantId),
                        TIMELINE_ENTRIES.SEQ.gt(after))
                .orderBy(TIMELINE_ENTRIES.SEQ).limit(limit)
                .fetch(r -> new Entry(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
    }

    private static List<Condition> where(Columns columns, String tenantId, Filter filter, String[] position) {
        List<Condition> where = new ArrayList<>(List.of(columns.tenantId().eq(tenantId)));
        if (filter.status() != null) {
            where.add(columns.status().eq(filter.status()));
        }
        if (filter.campaignId() != null) {
            where.add(columns.campaignId().eq(filter.campaignId()));
        }
        if (filter.agentId() != null) {
            where.add(columns.agentId().eq(filter.agentId()));
        }
        if (filter.from() != null) {
            where.add(columns.createdAt().ge(filter.from()));
        }
        if (filter.to() != null) {
            where.add(columns.createdAt().lt(filter.to()));
        }
        if (position != null) {
            where.add(DSL.row(columns.createdAt(), columns.callId()).lt(OffsetDateTime.parse(position[0]),
                    position[1]));
        }
        return where;
    }

    /** Projected calls, with the provider of their request; columns in the order of {@link CallView}. */
    private Select<Record> projected(List<Condition> where) {
        return db.select(CALLS.CALL_ID.as("id"), CALLS.TENANT_ID, CALLS.CAMPAIGN_ID, CALLS.AGENT_ID, CALLS.STATUS,
                        CALLS.DIRECTION, CALLS.TRANSPORT, CALLS.FROM_PARTY, CALLS.TO_PARTY, CALL_REQUESTS.PROVIDER,
                        CALL_REQUESTS.PROVIDER_CALL_SID, CALLS.REQUESTED_AT, CALLS.ADMITTED_AT, CALLS.STARTED_AT,
                        CALLS.ANSWERED_AT, CALLS.ENDED_AT, CALLS.END_REASON, CALLS.DURATION_MS, CALLS.TURNS,
                        CALLS.AGENT_UTTERANCES, CALLS.TOOL_CALLS, CALLS.BARGE_INS, CALLS.DTMF_COUNT,
                        CALLS.ENTRY_COUNT, CALLS.LAST_EVENT_AT, CALLS.VERSION, CALLS.CREATED_AT)
                .from(CALLS).leftJoin(CALL_REQUESTS).on(CALL_REQUESTS.CALL_ID.eq(CALLS.CALL_ID)).where(where);
    }

    /** Requested calls whose timeline is not projected yet, as version 0; columns as {@link #projected}. */
    private Select<Record> requested(List<Condition> where) {
        return db.select(CALL_REQUESTS.CALL_ID, CALL_REQUESTS.TENANT_ID, CALL_REQUESTS.CAMPAIGN_ID,
                        CALL_REQUESTS.AGENT_ID, CALL_REQUESTS.STATUS, CALL_REQUESTS.DIRECTION,
                        CALL_REQUESTS.TRANSPORT, CALL_REQUESTS.FROM_PARTY, CALL_REQUESTS.TO_PARTY,
                        CALL_REQUESTS.PROVIDER, CALL_REQUESTS.PROVIDER_CALL_SID, CALL_REQUESTS.REQUESTED_AT,
                        DSL.castNull(CALLS.ADMITTED_AT), DSL.castNull(CALLS.STARTED_AT),
                        DSL.castNull(CALLS.ANSWERED_AT), DSL.castNull(CALLS.ENDED_AT), DSL.castNull(CALLS.END_REASON),
                        DSL.castNull(CALLS.DURATION_MS), DSL.inline(0), DSL.inline(0), DSL.inline(0), DSL.inline(0),
                        DSL.inline(0), DSL.inline(0L), DSL.castNull(CALLS.LAST_EVENT_AT), DSL.inline(0L),
                        CALL_REQUESTS.REQUESTED_AT)
                .from(CALL_REQUESTS).where(where)
                .andNotExists(DSL.selectOne().from(CALLS).where(CALLS.CALL_ID.eq(CALL_REQUESTS.CALL_ID)));
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

    private static CallView view(Record r) {
        return new CallView(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                r.get(3, String.class), r.get(4, String.class), r.get(5, String.class), r.get(6, String.class),
                r.get(7, String.class), r.get(8, String.class), r.get(9, String.class), r.get(10, String.class),
                time(r, 11), time(r, 12), time(r, 13), time(r, 14), time(r, 15), r.get(16, String.class),
                r.get(17, Long.class), r.get(18, Integer.class), r.get(19, Integer.class), r.get(20, Integer.class),
                r.get(21, Integer.class), r.get(22, Integer.class), r.get(23, Long.class), time(r, 24),
                r.get(25, Long.class), time(r, 26), null, null);
    }

    private static OffsetDateTime time(Record r, int index) {
        return r.get(index, OffsetDateTime.class);
    }
}
