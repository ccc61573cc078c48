package io.sipai.edge.session;

import java.util.Map;

import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.config.AgentConfig;
import io.sipai.runtime.admission.AdmissionClient;
import io.sipai.runtime.events.CallEventEnvelope;

/**
 * Who and what a call session is for; fixed when the session starts.
 *
 * @param callId     sipai call id (the Kafka key of the call's events)
 * @param tenantId   owning tenant
 * @param campaignId campaign, or null
 * @param agentId    agent that handles the call, or null
 * @param direction  inbound or outbound
 * @param transport  WEBSOCKET, TWILIO or JAMBONZ
 * @param from       calling party, or null
 * @param to         called party, or null
 * @param metadata   caller-supplied key/values (custom parameters, start metadata)
 * @param agent      the agent's configuration when known at start, else null
 */
public record CallContext(String callId, String tenantId, String campaignId, String agentId, CallDirection direction,
                          Transport transport, String from, String to, Map<String, String> metadata,
                          AgentConfig agent) {

    public CallContext {
        if (callId == null || callId.isBlank()) {
            throw new IllegalArgumentException("callId is required");
        }
        if (tenantId == null || tenantId.isBlank()) {
            throw new IllegalArgumentException("tenantId is required");
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** Who the call belongs to, as its events' envelopes name it. */
    public CallEventEnvelope.CallRef ref() {
        return new CallEventEnvelope.CallRef(callId, tenantId, campaignId, agentId);
    }

    /** The call's admission slot, as this edge speaks for it. */
    public AdmissionClient.CallSlot slot() {
        return new AdmissionClient.CallSlot(callId, tenantId, campaignId, agentId, EventSource.REALTIME_EDGE);
    }
}
