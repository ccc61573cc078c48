package io.sipai.gateway.calls;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

import io.sipai.common.EventSource;
import io.sipai.events.CallEvent;
import io.sipai.gateway.internal.kafka.RecordPublisher;
import io.sipai.schemas.Topics;
import org.springframework.stereotype.Component;

/**
 * Publishes the facts the gateway observes (CallRequested, provider status changes, API hangups) to
 * {@code call.events.v1}, keyed by callId. Event ids derived from a stable fact (e.g. provider call sid + status)
 * are name-based UUIDs, so a provider retry produces the same eventId and downstream dedupes it.
 */
@Component
public class CallEvents {

    private final RecordPublisher publisher;
    private final Clock clock;

    public CallEvents(RecordPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Who a call belongs to. */
    public record CallRef(String callId, String tenantId, String campaignId, String agentId) {
    }

    /** Publishes and waits for the broker's acknowledgement. */
    public CallEvent publish(CallRef call, EventSource source, String eventId, Object payload) {
        CallEvent event = CallEvent.newBuilder().setEventId(eventId == null ? UUID.randomUUID().toString() : eventId)
                .setCallId(call.callId()).setTenantId(call.tenantId()).setCampaignId(call.campaignId())
                .setAgentId(call.agentId()).setOccurredAt(clock.instant()).setSource(source).setPayload(payload)
                .build();
        publisher.sendAndWait(Topics.CALL_EVENTS, call.callId(), event);
        return event;
    }

    /** A stable id for a fact named by {@code parts}. */
    public static String stableId(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("|", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
