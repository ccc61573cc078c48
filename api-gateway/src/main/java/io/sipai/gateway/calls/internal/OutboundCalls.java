package io.sipai.gateway.calls.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Rejected;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallEnded;
import io.sipai.events.CallRequested;
import io.sipai.gateway.calls.CallEvents;
import io.sipai.gateway.calls.CallOriginator;
import io.sipai.gateway.calls.CallStore;
import io.sipai.gateway.calls.CallView;
import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.tenants.Caller;
import io.sipai.runtime.admission.AdmissionClient;
import io.sipai.runtime.admission.AdmissionUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Places outbound calls: record the request, publish CallRequested, take a slot through admission, then originate
 * through the provider's REST API. A refused slot answers 429 naming the limit; a provider failure ends the call
 * (CallEnded FAILED, which releases the slot) and answers 502.
 */
@Service
public class OutboundCalls {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundCalls.class);
    private static final Pattern PARTY = Pattern.compile("\\+[1-9][0-9]{6,14}|sips?:[^\\s]{3,250}");

    private final CallStore calls;
    private final CallEvents events;
    private final AdmissionClient admission;
    private final List<CallOriginator> originators;

    public OutboundCalls(CallStore calls, CallEvents events, AdmissionClient admission,
                         List<CallOriginator> originators) {
        this.calls = calls;
        this.events = events;
        this.admission = admission;
        this.originators = originators;
    }

    /** Body of POST /v1/calls. */
    public record PlaceCall(String to, String from, String agentId, String campaignId, String provider,
                            Map<String, String> metadata) {
    }

    public CallView place(Caller caller, PlaceCall body) {
        String tenantId = caller.tenantId();
        String to = party("to", body.to());
        String from = party("from", body.from());
        CallOriginator originator = originator(body.provider());
        String agentId = agent(tenantId, body);
        Map<String, String> metadata = metadata(body.metadata());
        String callId = UUID.randomUUID().toString();
        Transport transport = Transport.valueOf(originator.provider().toUpperCase(Locale.ROOT));
        calls.insertRequested(new CallStore.NewCall(callId, tenantId, body.campaignId(), agentId, "OUTBOUND",
                transport.name(), from, to, originator.provider()));
        CallEvents.CallRef ref = new CallEvents.CallRef(callId, tenantId, body.campaignId(), agentId);
        events.publish(ref, EventSource.API_GATEWAY, null,
                new CallRequested(CallDirection.OUTBOUND, transport, from, to, metadata));
        AdmissionDecision decision = admit(ref, transport);
        if (decision.getOutcome() instanceof Rejected rejected) {
            calls.markStatus(callId, "REJECTED");
            throw new ApiException(ProblemType.ADMISSION_REJECTED, rejected.getDetail(), Map.of(
                    "limit", rejected.getLimit().name(), "callId", callId));
        }
        try {
            String sid = originator.originate(new CallOriginator.Origination(callId, tenantId, agentId, from, to,
                    metadata));
            calls.setProviderCallSid(callId, sid);
        } catch (CallOriginator.OriginationException e) {
            LOG.warn("origination of call {} through {} failed: {}", callId, originator.provider(), e.getMessage());
            events.publish(ref, EventSource.API_GATEWAY, null, new CallEnded(EndReason.FAILED,
                    "origination failed: " + e.getMessage(), 0L));
            calls.markStatus(callId, "ENDED");
            throw new ApiException(ProblemType.ORIGINATION_FAILED, originator.provider() + " refused the call: "
                    + e.getMessage(), Map.of("callId", callId));
        }
        return calls.get(tenantId, callId);
    }

    private AdmissionDecision admit(CallEvents.CallRef call, Transport transport) {
        try {
            return admission.acquireAndWait(new AdmissionClient.CallSlot(call.callId(), call.tenantId(),
                    call.campaignId(), call.agentId(), EventSource.API_GATEWAY), CallDirection.OUTBOUND, transport);
        } catch (AdmissionUnavailableException e) {
            throw new ApiException(ProblemType.ADMISSION_UNAVAILABLE, "admission did not decide on call "
                    + call.callId() + " in time; try again", Map.of("callId", call.callId()));
        }
    }

    /** Ends a call: through its provider when it has one, else by publishing CallEnded (API_HANGUP). */
    public CallView hangup(Caller caller, String callId) {
        CallView call = calls.get(caller.tenantId(), callId);
        if ("ENDED".equals(call.status()) || "REJECTED".equals(call.status())) {
            throw new ApiException(ProblemType.CONFLICT, "call " + callId + " is already over");
        }
        Optional<CallOriginator> provider = originators.stream()
                .filter(o -> o.provider().equals(call.provider())).findFirst();
        if (provider.isPresent() && call.providerCallSid() != null) {
            try {
                provider.get().hangup(call.providerCallSid());
            } catch (CallOriginator.OriginationException e) {
                throw new ApiException(ProblemType.ORIGINATION_FAILED, call.provider() + " did not end the call: "
                        + e.getMessage(), Map.of("callId", callId));
            }
        } else {
            events.publish(new CallEvents.CallRef(callId, call.tenantId(), call.campaignId(), call.agentId()),
                    EventSource.API_GATEWAY, CallEvents.stableId(callId, "api-hangup"),
                    new CallEnded(EndReason.API_HANGUP, "POST /v1/calls/" + callId + "/hangup", 0L));
        }
        return call;
    }

    private CallOriginator originator(String provider) {
        if (provider != null && originators.stream().noneMatch(o -> o.provider().equals(provider))) {
            throw ApiException.invalid("provider", "must be jambonz or twilio");
        }
        return originators.stream().filter(o -> provider == null ? o.configured() : o.provider().equals(provider))
                .filter(CallOriginator::configured).findFirst()
                .orElseThrow(() -> new ApiException(ProblemType.PROVIDER_NOT_CONFIGURED, provider == null
                        ? "no telephony provider is configured (JAMBONZ_* or TWILIO_*)"
                        : provider + " is not configured", Map.of("field", "provider")));
    }

    private String agent(String tenantId, PlaceCall body) {
        String agentId = body.agentId();
        if (body.campaignId() != null) {
            Optional<String> campaignAgent = calls.campaignAgent(tenantId, body.campaignId())
                    .orElseThrow(() -> ApiException.invalid("campaignId", "no such campaign"));
            agentId = agentId == null ? campaignAgent.orElse(null) : agentId;
        }
        if (agentId == null) {
            throw ApiException.invalid("agentId", "is required (directly or through the campaign)");
        }
        if (!calls.agentExists(tenantId, agentId)) {
            throw ApiException.invalid("agentId", "no such agent");
        }
        return agentId;
    }

    private static String party(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field, "is required");
        }
        if (!PARTY.matcher(value).matches()) {
            throw ApiException.invalid(field, "must be an E.164 number (+14155550100) or a sip: URI");
        }
        return value;
    }

    private static Map<String, String> metadata(Map<String, String> metadata) {
        if (metadata == null) {
            return Map.of();
        }
        if (metadata.size() > 20) {
            throw ApiException.invalid("metadata", "at most 20 entries");
        }
        metadata.forEach((key, value) -> {
            if (key.length() > 64 || value == null || value.length() > 512) {
                throw ApiException.invalid("metadata." + key, "keys up to 64 and values up to 512 characters");
            }
        });
        return Map.copyOf(metadata);
    }
}
