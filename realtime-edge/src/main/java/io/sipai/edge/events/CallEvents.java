package io.sipai.edge.events;

import java.time.Instant;
import java.util.UUID;

import io.sipai.common.EventSource;
import io.sipai.edge.session.CallContext;
import io.sipai.events.CallEvent;

/** Builds {@code call.events.v1} envelopes for the edge: fresh eventId, the call's ids, source REALTIME_EDGE. */
public final class CallEvents {

    private CallEvents() {
    }

    public static CallEvent envelope(CallContext call, Object payload, Instant occurredAt) {
        return CallEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setCallId(call.callId())
                .setTenantId(call.tenantId())
                .setCampaignId(call.campaignId())
                .setAgentId(call.agentId())
                .setOccurredAt(occurredAt)
                .setSource(EventSource.REALTIME_EDGE)
                .setPayload(payload)
                .build();
    }
}
