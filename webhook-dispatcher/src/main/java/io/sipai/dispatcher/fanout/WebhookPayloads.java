package io.sipai.dispatcher.fanout;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sipai.events.CallEvent;
import io.sipai.runtime.json.AvroJson;
import io.sipai.webhook.WebhookDelivery;
import org.apache.avro.generic.IndexedRecord;

/**
 * Turns a call event into the JSON body customers receive (documented in docs/webhooks.md):
 * {@code {"type":..,"version":1,"timestamp":..,"data":{eventId, callId, tenantId, campaignId, agentId, ...fields of
 * the event}}}. The event's fields are rendered by {@link AvroJson}, the rendering the REST API uses for timeline
 * entries, so a customer sees an event the same way in both; the same event always gives the same bytes (receivers
 * verify signatures over the raw body, and replays must match). A body over {@link #MAX_BODY_BYTES} is sent as a
 * thin event that links to the call in the API.
 */
public final class WebhookPayloads {

    /** Version of the payload format; bumped only for incompatible changes. */
    public static final int VERSION = 1;
    /** Largest body sent in full. */
    public static final int MAX_BODY_BYTES = 20 * 1024;

    private final String apiBaseUrl;

    /** @param apiBaseUrl base URL of the public API, for the links of thin events */
    public WebhookPayloads(String apiBaseUrl) {
        this.apiBaseUrl = apiBaseUrl.endsWith("/") ? apiBaseUrl.substring(0, apiBaseUrl.length() - 1) : apiBaseUrl;
    }

    /** The delivery of {@code event} (of webhook type {@code type}) to one subscription. */
    public WebhookDelivery delivery(CallEvent event, String type, String subscriptionId, boolean replay) {
        return delivery(event, type, subscriptionId, replay, body(event, type));
    }

    /** The delivery of {@code event} with an already rendered {@code body}. */
    public WebhookDelivery delivery(CallEvent event, String type, String subscriptionId, boolean replay,
                                    String body) {
        return WebhookDelivery.newBuilder().setWebhookId(event.getEventId()).setSubscriptionId(subscriptionId)
                .setTenantId(event.getTenantId()).setCallId(event.getCallId()).setEventType(type)
                .setOccurredAt(event.getOccurredAt()).setPayloadJson(body).setReplay(replay)
                .setAttempts(0).setLastError(null).build();
    }

    /** The JSON body of {@code event}. */
    public String body(CallEvent event, String type) {
        String full = envelope(event, type, false);
        if (full.getBytes(StandardCharsets.UTF_8).length <= MAX_BODY_BYTES) {
            return full;
        }
        return envelope(event, type, true);
    }

    private String envelope(CallEvent event, String type, boolean thin) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", event.getEventId());
        data.put("callId", event.getCallId());
        data.put("tenantId", event.getTenantId());
        data.put("campaignId", event.getCampaignId());
        data.put("agentId", event.getAgentId());
        if (thin) {
            data.put("truncated", Boolean.TRUE);
            data.put("href", apiBaseUrl + "/v1/calls/" + event.getCallId() + "/timeline");
        } else {
            data.putAll(AvroJson.tree((IndexedRecord) event.getPayload()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("version", VERSION);
        body.put("timestamp", event.getOccurredAt());
        body.put("data", data);
        return AvroJson.write(body);
    }
}
