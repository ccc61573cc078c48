package io.sipai.processors.admission.internal;

import io.sipai.admission.AdmissionDecision;

/**
 * The admission processor's record of one call, in the {@code admission-slots} store (key: callId).
 *
 * @param callId     the call
 * @param tenantId   its tenant
 * @param campaignId its campaign, or null
 * @param agentId    its agent, or null
 * @param status     where the call stands
 * @param lastSeenAt wall-clock time of the last acquire, heartbeat or release
 * @param expiresAt  for {@link SlotStatus#HELD}: when the lease runs out; otherwise when the record is forgotten.
 *                   The {@code admission-expiry} index holds exactly this time for the call.
 * @param decision   the decision answered to the acquire, or null when none was taken yet
 * @param edgeHeld   whether the slot ever received a heartbeat: a realtime-edge node holds it, so its lease is the
 *                   heartbeat timeout after the last heartbeat (EDGE_LOST) instead of the TTL after the grant
 *                   (SLOT_EXPIRED)
 */
public record Slot(String callId, String tenantId, String campaignId, String agentId, SlotStatus status,
                   long lastSeenAt, long expiresAt, AdmissionDecision decision, boolean edgeHeld) {

    /** This record with another status and expiry. */
    public Slot with(SlotStatus newStatus, long seenAt, long newExpiresAt) {
        return new Slot(callId, tenantId, campaignId, agentId, newStatus, seenAt, newExpiresAt, decision, edgeHeld);
    }

    /** This record with a decision. */
    public Slot withDecision(AdmissionDecision newDecision) {
        return new Slot(callId, tenantId, campaignId, agentId, status, lastSeenAt, expiresAt, newDecision, edgeHeld);
    }

    /** This held slot after a heartbeat at {@code now}: held by an edge node until {@code lease}. */
    public Slot heartbeated(long now, long lease) {
        return new Slot(callId, tenantId, campaignId, agentId, SlotStatus.HELD, now, lease, decision, true);
    }

    /** When the slot was granted (the decision's time), or null when it has no decision. */
    public Long grantedAt() {
        return decision == null ? null : decision.getDecidedAt().toEpochMilli();
    }
}
