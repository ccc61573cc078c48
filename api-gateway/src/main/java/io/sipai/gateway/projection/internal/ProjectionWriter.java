package io.sipai.gateway.projection.internal;

import static io.sipai.gateway.db.jooq.Tables.CALLS;
import static io.sipai.gateway.db.jooq.Tables.CALL_ANALYSES;
import static io.sipai.gateway.db.jooq.Tables.RECORDINGS;
import static io.sipai.gateway.db.jooq.Tables.TIMELINE_ENTRIES;
import static io.sipai.gateway.db.jooq.Tables.WEBHOOK_ATTEMPTS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.sipai.events.CallEnded;
import io.sipai.events.RecordingAvailable;
import io.sipai.runtime.json.AvroJson;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import io.sipai.webhook.WebhookAttempt;
import org.apache.avro.specific.SpecificRecord;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;

/**
 * Writes projected records to PostgreSQL with idempotent statements: a {@code calls} row only replaces one with a
 * lower version, entries and attempts are keyed by (callId, seq) and attemptId and inserted only once. Replaying
 * any prefix of the topics therefore leaves the same rows. A RecordingAvailable entry also records the call's
 * recording in {@code recordings}; a CallEnded entry makes the call's first analysis due ({@code call_analyses}). The projector is the only writer of {@code calls}
 * ({@code call_requests} holds what the request path knows), so no other write races these.
 */
@Component
public class ProjectionWriter {

    private final DSLContext db;

    public ProjectionWriter(DSLContext db) {
        this.db = db;
    }

    /** Writes the records (CallTimeline, TimelineEntry, WebhookAttempt) in one transaction. */
    public void write(List<SpecificRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        db.transaction(configuration -> {
            DSLContext tx = DSL.using(configuration);
            List<Query> queries = records.stream().flatMap(record -> queries(tx, record).stream()).toList();
            if (queries.size() == 1) {
                queries.getFirst().execute();
            } else {
                tx.batch(queries).execute();
            }
        });
    }

    private static List<Query> queries(DSLContext tx, SpecificRecord record) {
        return switch (record) {
            case CallTimeline timeline -> List.of(upsertTimeline(tx, timeline));
            case TimelineEntry entry when entry.getEvent().getPayload() instanceof RecordingAvailable recording ->
                    List.of(insertEntry(tx, entry), insertRecording(tx, entry, recording));
            case TimelineEntry entry when entry.getEvent().getPayload() instanceof CallEnded ->
                    List.of(insertEntry(tx, entry), insertAnalysisJob(tx, entry));
            case TimelineEntry entry -> List.of(insertEntry(tx, entry));
            case WebhookAttempt attempt -> List.of(insertAttempt(tx, attempt));
            default -> throw new IllegalArgumentException("not a projected record: " + record.getClass().getName());
        };
    }

    /** The call's first analysis, due now; a replayed end, or a call analyzed since, is left as it is. */
    private static Query insertAnalysisJob(DSLContext tx, TimelineEntry e) {
        return tx.insertInto(CALL_ANALYSES).set(CALL_ANALYSES.CALL_ID, e.getCallId())
                .set(CALL_ANALYSES.TENANT_ID, e.getTenantId()).set(CALL_ANALYSES.AGENT_ID, e.getEvent().getAgentId())
                .set(CALL_ANALYSES.GENERATION, 1).set(CALL_ANALYSES.STATUS, "PENDING")
                .set(CALL_ANALYSES.ATTEMPTS, 0).set(CALL_ANALYSES.NEXT_ATTEMPT_AT, DSL.currentOffsetDateTime())
                .onConflictDoNothing();
    }

    /** The call's recording, once: a replayed entry, or a recording deleted since, is left as it is. */
    private static Query insertRecording(DSLContext tx, TimelineEntry e, RecordingAvailable recording) {
        return tx.insertInto(RECORDINGS).set(RECORDINGS.CALL_ID, e.getCallId())
                .set(RECORDINGS.TENANT_ID, e.getTenantId()).set(RECORDINGS.LOCATION, recording.getUri())
                .set(RECORDINGS.CONTENT_TYPE, recording.getContentType())
                .set(RECORDINGS.DURATION_MS, recording.getDurationMs())
                .set(RECORDINGS.RECORDED_AT, time(e.getOccurredAt()))
                .onConflictDoNothing();
    }

    private static Query upsertTimeline(DSLContext tx, CallTimeline t) {
        OffsetDateTime created = time(t.getRequestedAt() != null ? t.getRequestedAt() : t.getLastEventAt());
        return tx.insertInto(CALLS)
                .set(CALLS.CALL_ID, t.getCallId()).set(CALLS.TENANT_ID, t.getTenantId())
                .set(CALLS.CAMPAIGN_ID, t.getCampaignId()).set(CALLS.AGENT_ID, t.getAgentId())
                .set(CALLS.STATUS, t.getStatus().name()).set(CALLS.DIRECTION, t.getDirection().name())
                .set(CALLS.TRANSPORT, t.getTransport().name()).set(CALLS.FROM_PARTY, t.getFrom())
                .set(CALLS.TO_PARTY, t.getTo()).set(CALLS.REQUESTED_AT, time(t.getRequestedAt()))
                .set(CALLS.ADMITTED_AT, time(t.getAdmittedAt())).set(CALLS.STARTED_AT, time(t.getStartedAt()))
                .set(CALLS.ANSWERED_AT, time(t.getAnsweredAt())).set(CALLS.ENDED_AT, time(t.getEndedAt()))
                .set(CALLS.END_REASON, t.getEndReason() == null ? null : t.getEndReason().name())
                .set(CALLS.DURATION_MS, t.getDurationMs()).set(CALLS.TURNS, t.getTurns())
                .set(CALLS.AGENT_UTTERANCES, t.getAgentUtterances()).set(CALLS.TOOL_CALLS, t.getToolCalls())
                .set(CALLS.BARGE_INS, t.getBargeIns()).set(CALLS.DTMF_COUNT, t.getDtmfCount())
                .set(CALLS.ENTRY_COUNT, t.getEntryCount()).set(CALLS.LAST_EVENT_AT, time(t.getLastEventAt()))
                .set(CALLS.VERSION, t.getVersion()).set(CALLS.CREATED_AT, created)
                .onConflict(CALLS.CALL_ID).doUpdate()
                .set(CALLS.TENANT_ID, DSL.excluded(CALLS.TENANT_ID))
                .set(CALLS.CAMPAIGN_ID, DSL.excluded(CALLS.CAMPAIGN_ID))
                .set(CALLS.AGENT_ID, DSL.excluded(CALLS.AGENT_ID)).set(CALLS.STATUS, DSL.excluded(CALLS.STATUS))
                .set(CALLS.DIRECTION, DSL.excluded(CALLS.DIRECTION))
                .set(CALLS.TRANSPORT, DSL.excluded(CALLS.TRANSPORT))
                .set(CALLS.FROM_PARTY, DSL.excluded(CALLS.FROM_PARTY)).set(CALLS.TO_PARTY, DSL.excluded(CALLS.TO_PARTY))
                .set(CALLS.REQUESTED_AT, DSL.excluded(CALLS.REQUESTED_AT))
                .set(CALLS.ADMITTED_AT, DSL.excluded(CALLS.ADMITTED_AT))
                .set(CALLS.STARTED_AT, DSL.excluded(CALLS.STARTED_AT))
                .set(CALLS.ANSWERED_AT, DSL.excluded(CALLS.ANSWERED_AT))
                .set(CALLS.ENDED_AT, DSL.excluded(CALLS.ENDED_AT))
                .set(CALLS.END_REASON, DSL.excluded(CALLS.END_REASON))
                .set(CALLS.DURATION_MS, DSL.excluded(CALLS.DURATION_MS)).set(CALLS.TURNS, DSL.excluded(CALLS.TURNS))
                .set(CALLS.AGENT_UTTERANCES, DSL.excluded(CALLS.AGENT_UTTERANCES))
                .set(CALLS.TOOL_CALLS, DSL.excluded(CALLS.TOOL_CALLS))
                .set(CALLS.BARGE_INS, DSL.excluded(CALLS.BARGE_INS))
                .set(CALLS.DTMF_COUNT, DSL.excluded(CALLS.DTMF_COUNT))
                .set(CALLS.ENTRY_COUNT, DSL.excluded(CALLS.ENTRY_COUNT))
                .set(CALLS.LAST_EVENT_AT, DSL.excluded(CALLS.LAST_EVENT_AT))
                .set(CALLS.VERSION, DSL.excluded(CALLS.VERSION))
                .where(CALLS.VERSION.lt(DSL.excluded(CALLS.VERSION)));
    }

    private static Query insertEntry(DSLContext tx, TimelineEntry e) {
        return tx.insertInto(TIMELINE_ENTRIES).set(TIMELINE_ENTRIES.CALL_ID, e.getCallId())
                .set(TIMELINE_ENTRIES.SEQ, e.getSeq()).set(TIMELINE_ENTRIES.TENANT_ID, e.getTenantId())
                .set(TIMELINE_ENTRIES.EVENT_ID, e.getEventId()).set(TIMELINE_ENTRIES.EVENT_TYPE, e.getEventType())
                .set(TIMELINE_ENTRIES.OCCURRED_AT, time(e.getOccurredAt()))
                .set(TIMELINE_ENTRIES.SOURCE, e.getEvent().getSource().name())
                .set(TIMELINE_ENTRIES.PAYLOAD, AvroJson.write(AvroJson.tree(e.getEvent())))
                .onConflictDoNothing();
    }

    private static Query insertAttempt(DSLContext tx, WebhookAttempt a) {
        return tx.insertInto(WEBHOOK_ATTEMPTS).set(WEBHOOK_ATTEMPTS.ATTEMPT_ID, a.getAttemptId())
                .set(WEBHOOK_ATTEMPTS.SUBSCRIPTION_ID, a.getSubscriptionId())
                .set(WEBHOOK_ATTEMPTS.TENANT_ID, a.getTenantId()).set(WEBHOOK_ATTEMPTS.WEBHOOK_ID, a.getWebhookId())
                .set(WEBHOOK_ATTEMPTS.CALL_ID, a.getCallId()).set(WEBHOOK_ATTEMPTS.EVENT_TYPE, a.getEventType())
                .set(WEBHOOK_ATTEMPTS.ATTEMPT, a.getAttempt())
                .set(WEBHOOK_ATTEMPTS.ATTEMPTED_AT, time(a.getAttemptedAt()))
                .set(WEBHOOK_ATTEMPTS.OUTCOME, a.getOutcome().name())
                .set(WEBHOOK_ATTEMPTS.STATUS_CODE, a.getStatusCode())
                .set(WEBHOOK_ATTEMPTS.LATENCY_MS, a.getLatencyMs()).set(WEBHOOK_ATTEMPTS.ERROR, a.getError())
                .set(WEBHOOK_ATTEMPTS.RESPONSE_BODY, a.getResponseBody())
                .set(WEBHOOK_ATTEMPTS.NEXT_ATTEMPT_AT, time(a.getNextAttemptAt()))
                .onConflictDoNothing();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
