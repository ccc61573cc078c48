package io.sipai.dispatcher.testing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.config.SigningSecret;
import io.sipai.config.WebhookSubscription;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.DtmfReceived;
import io.sipai.events.TurnMetrics;

/** Builders of the records tests publish. */
public final class Events {

    public static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private Events() {
    }

    public static CallEvent dtmf(String tenantId, String callId, String digits) {
        return event(tenantId, callId, new DtmfReceived(digits, null));
    }

    public static CallEvent ended(String tenantId, String callId) {
        return event(tenantId, callId, new CallEnded(EndReason.CALLER_HANGUP, null, 1_000L));
    }

    public static CallEvent turnMetrics(String tenantId, String callId) {
        return event(tenantId, callId, new TurnMetrics(1, 10L, 20L, 30L, 40L));
    }

    public static CallEvent event(String tenantId, String callId, Object payload) {
        return CallEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setCallId(callId)
                .setTenantId(tenantId).setCampaignId(null).setAgentId("agent-1")
                .setOccurredAt(Instant.now()).setSource(EventSource.REALTIME_EDGE).setPayload(payload).build();
    }

    public static WebhookSubscription subscription(String id, String tenantId, String url, List<String> types) {
        return WebhookSubscription.newBuilder().setSubscriptionId(id).setTenantId(tenantId).setVersion(1)
                .setUpdatedAt(Instant.now()).setDeleted(false).setUrl(url).setEventTypes(types).setEnabled(true)
                .setSecrets(List.of(new SigningSecret(SECRET, null))).build();
    }
}
