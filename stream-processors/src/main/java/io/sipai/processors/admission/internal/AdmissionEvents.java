package io.sipai.processors.admission.internal;

import java.time.Instant;

import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.admission.Rejected;
import io.sipai.common.AdmissionCounters;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRejected;
import io.sipai.events.SlotReclaimed;
import io.sipai.runtime.events.CallEventEnvelope;

/**
 * Builds the call events admission writes to {@code call.events.v1}. Their eventIds are derived from the callId and
 * the kind of fact, so a reprocessed command (after a crash before commit) yields the very same event, and a
 * consumer that dedupes on eventId sees it once.
 */
final class AdmissionEvents {

    private AdmissionEvents() {
    }

    static CallEvent fromDecision(Slot slot, AdmissionDecision decision) {
        Object payload = switch (decision.getOutcome()) {
            case Granted granted -> CallAdmitted.newBuilder().setCounters(granted.getCounters())
                    .setLeaseExpiresAt(granted.getLeaseExpiresAt()).build();
            case Rejected rejected -> CallRejected.newBuilder().setLimit(rejected.getLimit())
                    .setDetail(rejected.getDetail()).setCounters(rejected.getCounters()).build();
            default -> throw new IllegalStateException("unknown outcome " + decision.getOutcome());
        };
        String kind = payload instanceof CallAdmitted ? "admitted" : "rejected";
        return envelope(slot, kind, decision.getDecidedAt(), payload);
    }

    static CallEvent reclaimed(Slot slot, long leaseExpiredAt, long now, AdmissionCounters counters) {
        return envelope(slot, "reclaimed", Instant.ofEpochMilli(now), SlotReclaimed.newBuilder()
                .setLastHeartbeatAt(Instant.ofEpochMilli(slot.lastSeenAt()))
                .setLeaseExpiredAt(Instant.ofEpochMilli(leaseExpiredAt)).setCounters(counters).build());
    }

    /**
     * The CallEnded admission writes when it frees a slot whose lease ran out (EDGE_LOST or SLOT_EXPIRED), so the
     * call ends for the timeline and for webhooks. Its duration runs from the grant to the last heartbeat: the time
     * the call was known to be alive. It is the call's one end (the edge's own CallEnded, should it still come, is
     * quarantined AFTER_END), so the timeline's summary derives the call's duration from its answer to this end.
     */
    static CallEvent ended(Slot slot, EndReason reason, String detail, long now) {
        Long grantedAt = slot.grantedAt();
        long durationMs = grantedAt == null ? 0 : Math.max(0, slot.lastSeenAt() - grantedAt);
        return envelope(slot, "ended", Instant.ofEpochMilli(now), CallEnded.newBuilder().setReason(reason)
                .setDetail(detail).setDurationMs(durationMs).build());
    }

    private static CallEvent envelope(Slot slot, String kind, Instant at, Object payload) {
        // One string as the only part: the same name-based UUID admission has always derived, so events written
        // before and after this code agree on their eventIds.
        String eventId = CallEventEnvelope.stableId("admission/" + slot.callId() + "/" + kind);
        return CallEventEnvelope.of(new CallEventEnvelope.CallRef(slot.callId(), slot.tenantId(), slot.campaignId(),
                slot.agentId()), EventSource.STREAM_PROCESSORS, eventId, at, payload);
    }
}
