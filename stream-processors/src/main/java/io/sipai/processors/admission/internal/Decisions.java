package io.sipai.processors.admission.internal;

import java.time.Instant;

import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Rejected;
import io.sipai.common.AdmissionCounters;
import io.sipai.common.AdmissionLimit;

/**
 * Builds the {@link AdmissionDecision}s admission answers on {@code call.admission-decisions.v1}: the decision on
 * an AcquireSlot, and the refusal of a Heartbeat for a slot that is not held (so the edge ends the call).
 */
final class Decisions {

    private Decisions() {
    }

    /** A decision on {@code command} taken at {@code now}. */
    static AdmissionDecision of(AdmissionCommand command, long now, Object outcome) {
        return AdmissionDecision.newBuilder()
                .setCallId(command.getCallId())
                .setCommandId(command.getCommandId())
                .setTenantId(command.getTenantId())
                .setCampaignId(command.getCampaignId())
                .setDecidedAt(Instant.ofEpochMilli(now))
                .setOutcome(outcome)
                .build();
    }

    /** A refusal naming the limit hit, with the counts. */
    static AdmissionDecision rejected(AdmissionCommand command, long now, AdmissionLimit limit,
                                      AdmissionCounters counters) {
        return rejected(command, now, limit, Limits.describe(limit, counters), counters);
    }

    /**
     * The answer to a Heartbeat for a call that holds no slot: {@code Rejected(ALREADY_RELEASED)} with why, so the
     * edge ends the call instead of keeping media up without a slot.
     */
    static AdmissionDecision notHeld(AdmissionCommand heartbeat, long now, Slot slot, AdmissionCounters counters) {
        return rejected(heartbeat, now, AdmissionLimit.ALREADY_RELEASED, whyNotHeld(heartbeat.getCallId(), slot),
                counters);
    }

    static String whyNotHeld(String callId, Slot slot) {
        if (slot == null) {
            return "call " + callId + " holds no slot: it was never granted one, or it ended and was forgotten";
        }
        return switch (slot.status()) {
            case HELD -> "call " + callId + " holds a slot";
            case RELEASED -> "the slot of call " + callId + " was released at " + Instant.ofEpochMilli(
                    slot.lastSeenAt());
            case RECLAIMED -> slot.edgeHeld()
                    ? "call " + callId + " ended EDGE_LOST: admission heard no heartbeat after "
                    + Instant.ofEpochMilli(slot.lastSeenAt()) + " and freed its slot"
                    : "call " + callId + " ended SLOT_EXPIRED: no heartbeat came within the TTL of its grant, and "
                    + "its slot was freed";
            case REJECTED -> "call " + callId + " was refused a slot" + (slot.decision() != null
                    && slot.decision().getOutcome() instanceof Rejected refused ? " (" + refused.getLimit() + ")" : "");
            case RELEASED_BEFORE_ACQUIRE -> "the slot of call " + callId + " was released before it was acquired";
        };
    }

    private static AdmissionDecision rejected(AdmissionCommand command, long now, AdmissionLimit limit, String detail,
                                              AdmissionCounters counters) {
        return of(command, now, Rejected.newBuilder().setLimit(limit).setDetail(detail).setCounters(counters)
                .build());
    }
}
