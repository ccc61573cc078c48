package io.sipai.runtime.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import io.sipai.common.EventSource;
import io.sipai.events.CallEvent;

/**
 * Builds {@code call.events.v1} envelopes, the one way every service writes a call fact: the call's ids, who wrote
 * it, when it happened, and an eventId that is random for a new fact or derived from a stable fact (a provider's
 * callback) with {@link #stableId}, so a retry of the same fact dedupes downstream.
 */
public final class CallEventEnvelope {

    /** Who a call belongs to. */
    public record CallRef(String callId, String tenantId, String campaignId, String agentId) {
    }

    private CallEventEnvelope() {
    }

    /** An envelope with a fresh random eventId. */
    public static CallEvent of(CallRef call, EventSource source, Instant occurredAt, Object payload) {
        return of(call, source, UUID.randomUUID().toString(), occurredAt, payload);
    }

    /** An envelope with the given eventId (null for a fresh random one). */
    public static CallEvent of(CallRef call, EventSource source, String eventId, Instant occurredAt, Object payload) {
        return CallEvent.newBuilder()
                .setEventId(eventId == null ? UUID.randomUUID().toString() : eventId)
                .setCallId(call.callId())
                .setTenantId(call.tenantId())
                .setCampaignId(call.campaignId())
                .setAgentId(call.agentId())
                .setOccurredAt(occurredAt)
                .setSource(source)
                .setPayload(payload)
                .build();
    }

    /** A stable eventId for a fact named by {@code parts} (a name-based UUID). */
    public static String stableId(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("|", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
