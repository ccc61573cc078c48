package io.sipai.gateway.calls.internal;

import static io.sipai.gateway.db.jooq.Tables.CALLS;
import static io.sipai.gateway.db.jooq.Tables.CALL_REQUESTS;

import java.util.Collection;
import java.util.List;

import io.sipai.gateway.calls.CallView;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * Which calls changed between two transaction horizons, as the tenant-wide live calls stream reads them. Every write
 * of a {@code calls} or {@code call_requests} row stamps it with its transaction id (V4__call_changes.sql); the
 * horizon is the oldest transaction still running, so every transaction below it has finished and a range of
 * transaction ids below it holds every change it ever will. Reading consecutive ranges [previous horizon, horizon)
 * therefore misses no committed change, whatever order the writers committed in. A call changed twice in a range is
 * read once, in its latest state.
 */
@Repository
class CallChanges {

    private static final String CHANGED_XID = "changed_xid";

    private final DSLContext db;
    private final CallStore calls;

    CallChanges(DSLContext db, CallStore calls) {
        this.db = db;
        this.calls = calls;
    }

    /** The oldest transaction id still running (or the next one when none runs). */
    long horizon() {
        return Long.parseLong(String.valueOf(db.fetchValue(
                "select pg_snapshot_xmin(pg_current_snapshot())::text")));
    }

    /**
     * The calls of {@code tenantIds} written by a transaction in [from, to), at most {@code limit} call ids; more
     * than {@code limit} changed calls answer {@code limit + 1} ids so the caller can tell.
     */
    List<String> changedIds(Collection<String> tenantIds, long from, long to, int limit) {
        if (tenantIds.isEmpty()) {
            return List.of();
        }
        return db.select(CALLS.CALL_ID).from(CALLS)
                .where(range(CALLS.getName(), from, to), CALLS.TENANT_ID.in(tenantIds))
                .union(db.select(CALL_REQUESTS.CALL_ID).from(CALL_REQUESTS)
                        .where(range(CALL_REQUESTS.getName(), from, to), CALL_REQUESTS.TENANT_ID.in(tenantIds)))
                .limit(limit + 1)
                .fetch(r -> r.value1());
    }

    /** The current views of the changed calls. */
    List<CallView> views(List<String> callIds) {
        return calls.views(callIds);
    }

    private static Condition range(String table, long from, long to) {
        Field<Object> changed = DSL.field(DSL.name(table, CHANGED_XID));
        return DSL.condition("{0} >= cast({1} as xid8) and {0} < cast({2} as xid8)", changed,
                DSL.val(Long.toString(from)), DSL.val(Long.toString(to)));
    }

}
