package io.sipai.gateway.analysis.internal;

import static io.sipai.gateway.db.jooq.Tables.CALL_ANALYSES;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import io.sipai.gateway.calls.CallAnalyses;
import io.sipai.gateway.calls.CallAnalysis;
import io.sipai.gateway.db.jooq.CallAnalysesRecord;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * The {@code call_analyses} rows: what the API shows and asks for, and what the worker claims and settles. Every
 * settling update names the generation it settles, so an attempt of an older generation that finishes after a
 * re-analysis was asked for changes nothing.
 */
@Repository
public class AnalysisJobs implements CallAnalyses {

    /** Status of an analysis. */
    enum Status { PENDING, DONE, FAILED, SKIPPED }

    /** A claimed analysis to make. */
    record Job(String callId, String tenantId, String agentId, int generation, int attempts) {
    }

    private final DSLContext db;

    public AnalysisJobs(DSLContext db) {
        this.db = db;
    }

    @Override
    public Optional<CallAnalysis> find(String tenantId, String callId) {
        return db.selectFrom(CALL_ANALYSES).where(CALL_ANALYSES.CALL_ID.eq(callId),
                CALL_ANALYSES.TENANT_ID.eq(tenantId)).fetchOptional(AnalysisJobs::view);
    }

    @Override
    public CallAnalysis reanalyze(String tenantId, String callId, String agentId) {
        return db.insertInto(CALL_ANALYSES).set(CALL_ANALYSES.CALL_ID, callId).set(CALL_ANALYSES.TENANT_ID, tenantId)
                .set(CALL_ANALYSES.AGENT_ID, agentId).set(CALL_ANALYSES.GENERATION, 1)
                .set(CALL_ANALYSES.STATUS, Status.PENDING.name()).set(CALL_ANALYSES.ATTEMPTS, 0)
                .set(CALL_ANALYSES.NEXT_ATTEMPT_AT, DSL.currentOffsetDateTime())
                .onConflict(CALL_ANALYSES.CALL_ID).doUpdate()
                .set(CALL_ANALYSES.GENERATION, CALL_ANALYSES.GENERATION.plus(1))
                .set(CALL_ANALYSES.STATUS, Status.PENDING.name()).set(CALL_ANALYSES.ATTEMPTS, 0)
                .set(CALL_ANALYSES.NEXT_ATTEMPT_AT, DSL.currentOffsetDateTime())
                .setNull(CALL_ANALYSES.LEASE_UNTIL).setNull(CALL_ANALYSES.LAST_ERROR)
                .returning().fetchOne(AnalysisJobs::view);
    }

    /**
     * Claims up to {@code limit} due analyses for {@code leaseMs}: PENDING ones whose time has come and whose lease
     * (if another instance claimed them) ran out. Rows other instances hold locked right now are skipped.
     */
    List<Job> claim(int limit, long leaseMs) {
        return db.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            List<CallAnalysesRecord> due = tx.selectFrom(CALL_ANALYSES)
                    .where(CALL_ANALYSES.STATUS.eq(Status.PENDING.name()),
                            CALL_ANALYSES.NEXT_ATTEMPT_AT.le(DSL.currentOffsetDateTime()),
                            CALL_ANALYSES.LEASE_UNTIL.isNull().or(CALL_ANALYSES.LEASE_UNTIL
                                    .lt(DSL.currentOffsetDateTime())))
                    .orderBy(CALL_ANALYSES.NEXT_ATTEMPT_AT).limit(limit).forUpdate().skipLocked().fetch();
            for (CallAnalysesRecord row : due) {
                // The database's clock, the one the claim compares leases with.
                tx.update(CALL_ANALYSES).set(CALL_ANALYSES.LEASE_UNTIL, DSL.field(
                                "current_timestamp + make_interval(secs => {0})", OffsetDateTime.class,
                                DSL.val(leaseMs / 1000.0)))
                        .where(CALL_ANALYSES.CALL_ID.eq(row.getCallId())).execute();
            }
            return due.stream().map(row -> new Job(row.getCallId(), row.getTenantId(), row.getAgentId(),
                    row.getGeneration(), row.getAttempts())).toList();
        });
    }

    /** Records a made analysis. */
    void done(Job job, Analysis analysis, int attempts) {
        settle(job, db.update(CALL_ANALYSES).set(CALL_ANALYSES.STATUS, Status.DONE.name())
                .set(CALL_ANALYSES.ATTEMPTS, attempts).set(CALL_ANALYSES.SUMMARY, analysis.summary())
                .set(CALL_ANALYSES.STRUCTURED_DATA, analysis.structuredDataJson())
                .set(CALL_ANALYSES.SUCCESS, analysis.success())
                .set(CALL_ANALYSES.SUCCESS_REASON, analysis.successReason())
                .set(CALL_ANALYSES.ENGINE, analysis.engine()).set(CALL_ANALYSES.ANALYZED_AT, DSL.currentOffsetDateTime())
                .setNull(CALL_ANALYSES.LAST_ERROR).setNull(CALL_ANALYSES.LEASE_UNTIL));
    }

    /** An attempt failed: due again at {@code next}. */
    void retry(Job job, int attempts, String error, OffsetDateTime next) {
        settle(job, db.update(CALL_ANALYSES).set(CALL_ANALYSES.ATTEMPTS, attempts)
                .set(CALL_ANALYSES.LAST_ERROR, error).set(CALL_ANALYSES.NEXT_ATTEMPT_AT, next)
                .setNull(CALL_ANALYSES.LEASE_UNTIL));
    }

    /** The analysis gave up, or the agent asks for none. */
    void end(Job job, Status status, int attempts, String error) {
        settle(job, db.update(CALL_ANALYSES).set(CALL_ANALYSES.STATUS, status.name())
                .set(CALL_ANALYSES.ATTEMPTS, attempts).set(CALL_ANALYSES.LAST_ERROR, error)
                .setNull(CALL_ANALYSES.LEASE_UNTIL));
    }

    private void settle(Job job, org.jooq.UpdateSetMoreStep<CallAnalysesRecord> update) {
        update.where(CALL_ANALYSES.CALL_ID.eq(job.callId()), CALL_ANALYSES.GENERATION.eq(job.generation()),
                CALL_ANALYSES.STATUS.eq(Status.PENDING.name())).execute();
    }

    private static CallAnalysis view(CallAnalysesRecord r) {
        boolean done = Status.DONE.name().equals(r.getStatus());
        return new CallAnalysis(r.getStatus(), r.getGeneration(), r.getAttempts(), done ? r.getSummary() : null,
                done ? r.getStructuredData() : null, done ? r.getSuccess() : null,
                done ? r.getSuccessReason() : null, done ? r.getEngine() : null, done ? r.getAnalyzedAt() : null,
                done ? null : r.getLastError());
    }
}
