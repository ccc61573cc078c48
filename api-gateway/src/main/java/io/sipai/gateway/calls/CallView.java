package io.sipai.gateway.calls;

import java.time.OffsetDateTime;

/**
 * A call as the API shows it: the latest projected timeline summary, or the call as requested until its timeline
 * is projected (version 0), with how it was placed (provider and the provider's call id).
 */
public record CallView(String id, String tenantId, String campaignId, String agentId, String status,
                       String direction, String transport, String from, String to, String provider,
                       String providerCallSid, OffsetDateTime requestedAt, OffsetDateTime admittedAt,
                       OffsetDateTime startedAt, OffsetDateTime answeredAt, OffsetDateTime endedAt, String endReason,
                       Long durationMs, int turns, int agentUtterances, int toolCalls, int bargeIns, int dtmfCount,
                       long entryCount, OffsetDateTime lastEventAt, long version, OffsetDateTime createdAt) {
}
