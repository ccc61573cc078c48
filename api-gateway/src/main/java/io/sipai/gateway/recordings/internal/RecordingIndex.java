package io.sipai.gateway.recordings.internal;

import static io.sipai.gateway.db.jooq.Tables.RECORDINGS;
import static io.sipai.gateway.db.jooq.Tables.TENANTS;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import io.sipai.gateway.calls.CallRecording;
import io.sipai.gateway.calls.CallRecordings;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * The {@code recordings} read model (written by the projector from RecordingAvailable entries) and the tenants'
 * retention periods: which recording a call has, which are past their retention, and which were deleted.
 */
@Repository
public class RecordingIndex implements CallRecordings {

    private final DSLContext db;

    public RecordingIndex(DSLContext db) {
        this.db = db;
    }

    /** A stored recording. */
    public record Recording(String callId, String tenantId, String location, String contentType, long durationMs,
                            OffsetDateTime recordedAt) {
    }

    @Override
    public Optional<CallRecording> find(String tenantId, String callId) {
        return stored(tenantId, callId).map(r -> new CallRecording("/v1/calls/" + callId + "/recording",
                r.contentType(), r.durationMs(), r.recordedAt()));
    }

    /** The call's recording unless it was deleted. */
    public Optional<Recording> stored(String tenantId, String callId) {
        return db.selectFrom(RECORDINGS).where(RECORDINGS.CALL_ID.eq(callId), RECORDINGS.TENANT_ID.eq(tenantId),
                RECORDINGS.DELETED_AT.isNull()).fetchOptional(r -> new Recording(r.getCallId(), r.getTenantId(),
                r.getLocation(), r.getContentType(), r.getDurationMs(), r.getRecordedAt()));
    }

    /** Marks the recording deleted; false when another deletion came first. */
    public boolean markDeleted(String callId, OffsetDateTime at) {
        return db.update(RECORDINGS).set(RECORDINGS.DELETED_AT, at)
                .where(RECORDINGS.CALL_ID.eq(callId), RECORDINGS.DELETED_AT.isNull()).execute() == 1;
    }

    /**
     * Up to {@code limit} recordings older than their tenant's retention (its own, else {@code defaultDays}; 0
     * keeps them), oldest first.
     */
    public List<Recording> expired(OffsetDateTime now, int defaultDays, int limit) {
        var days = DSL.coalesce(TENANTS.RECORDING_RETENTION_DAYS, DSL.val(defaultDays));
        return db.select(RECORDINGS.CALL_ID, RECORDINGS.TENANT_ID, RECORDINGS.LOCATION, RECORDINGS.CONTENT_TYPE,
                        RECORDINGS.DURATION_MS, RECORDINGS.RECORDED_AT)
                .from(RECORDINGS).join(TENANTS).on(TENANTS.TENANT_ID.eq(RECORDINGS.TENANT_ID))
                .where(RECORDINGS.DELETED_AT.isNull(), days.gt(0),
                        DSL.condition("{0} < {1} - make_interval(days => {2})", RECORDINGS.RECORDED_AT,
                                DSL.val(now), days))
                .orderBy(RECORDINGS.RECORDED_AT).limit(limit)
                .fetch(r -> new Recording(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
    }

    /** The tenant's own retention in days, or null when it follows the default. */
    public Integer retentionDays(String tenantId) {
        return db.select(TENANTS.RECORDING_RETENTION_DAYS).from(TENANTS).where(TENANTS.TENANT_ID.eq(tenantId))
                .fetchOne(TENANTS.RECORDING_RETENTION_DAYS);
    }

    /** Sets the tenant's own retention (null: follow the default). */
    public void setRetentionDays(String tenantId, Integer days) {
        db.update(TENANTS).set(TENANTS.RECORDING_RETENTION_DAYS, days).where(TENANTS.TENANT_ID.eq(tenantId))
                .execute();
    }
}
