package io.sipai.gateway.calls.internal;

import static io.sipai.gateway.db.jooq.Tables.TIMELINE_ENTRIES;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** What the live streams read of the projected timelines: how far each watched call has got, and what is new. */
@Repository
class TimelineTail {

    /** The entries after which a timeline takes no more: a call ends, or admission refused it. */
    static final Set<String> LAST_TYPES = Set.of("CallEnded", "CallRejected");

    private final DSLContext db;
    private final CallStore calls;

    TimelineTail(DSLContext db, CallStore calls) {
        this.db = db;
        this.calls = calls;
    }

    /** The highest projected seq of each of {@code callIds} that has an entry. */
    Map<String, Long> latestSeqs(Collection<String> callIds) {
        return db.select(TIMELINE_ENTRIES.CALL_ID, DSL.max(TIMELINE_ENTRIES.SEQ))
                .from(TIMELINE_ENTRIES)
                .where(TIMELINE_ENTRIES.CALL_ID.in(callIds))
                .groupBy(TIMELINE_ENTRIES.CALL_ID)
                .fetchMap(r -> r.value1(), r -> r.value2());
    }

    /** The entries of the tenant's call with seq > {@code after}, in order, at most {@code limit}. */
    List<CallStore.Entry> after(String tenantId, String callId, long after, int limit) {
        return calls.entriesAfter(tenantId, callId, after, limit);
    }

    /** Whether the call's end is at or before {@code seq}: a stream resumed past it has nothing more to wait for. */
    boolean endedBy(String tenantId, String callId, long seq) {
        return db.fetchExists(TIMELINE_ENTRIES, TIMELINE_ENTRIES.CALL_ID.eq(callId),
                TIMELINE_ENTRIES.TENANT_ID.eq(tenantId), TIMELINE_ENTRIES.EVENT_TYPE.in(LAST_TYPES),
                TIMELINE_ENTRIES.SEQ.le(seq));
    }
}
