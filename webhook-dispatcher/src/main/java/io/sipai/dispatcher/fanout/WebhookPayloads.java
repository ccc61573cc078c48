package io.sipai.dispatcher.fanout;

import java.nio.charset.StandardCharsets;

import io.sipai.dispatcher.fanout.internal.Json;
import io.sipai.events.CallEvent;
import io.sipai.webhook.WebhookDelivery;

import org.apache.avro.specific.SpecificRecord;

/**
 * Turns a call event into the JSON body customers receive (documented in docs/webhooks.md):
 * {@code {"type":..,"version":1,"timestamp":..,"data":{eventId, callId, tenantId, campaignId, agentId, ...fields of
 * the event}}}. A body over {@link #MAX_BODY_BYTES} is sent as a thin event that links to the call in the API.
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
        StringBuilder out = new StringBuilder(512);
        out.append("{\"type\":");
        Json.string(out, type);
        out.append(",\"version\":").append(VERSION).append(",\"timestamp\":");
        Json.value(out, event.getOccurredAt());
        out.append(",\"data\":{");
        field(out, "eventId", event.getEventId(), false);
        field(out, "callId", event.getCallId(), true);
        field(out, "tenantId", event.getTenantId(), true);
        field(out, "campaignId", event.getCampaignId(), true);
        field(out, "agentId", event.getAgentId(), true);
        if (thin) {
            field(out, "truncated", Boolean.TRUE, true);
            field(out, "href", apiBaseUrl + "/v1/calls/" + event.getCallId() + "/timeline", true);
        } else {
            Json.fields(out, (SpecificRecord) event.getPayload());
        }
        out.append("}}");
        return out.toString();
    }

    private static void field(StringBuilder out, String name, Object value, boolean comma) {
        if (comma) {
            out.append(',');
        }
        Json.string(out, name);
        out.append(':');
        Json.value(out, value);
    }
}
