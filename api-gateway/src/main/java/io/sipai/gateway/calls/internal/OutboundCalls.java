package io.sipai.gateway.calls.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.opentelemetry.api.trace.SpanKind;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Rejected;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.events.CallEnded;
import io.sipai.events.CallRequested;
import io.sipai.gateway.agents.CallFeatures;
import io.sipai.gateway.calls.CallEnds;
import io.sipai.gateway.calls.CallView;
import io.sipai.gateway.calls.Calls;
import io.sipai.gateway.kafka.RecordPublisher;
import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.telephony.CallOriginator;
import io.sipai.gateway.telephony.TelephonyProvider;
import io.sipai.gateway.telephony.TelephonyProviders;
import io.sipai.gateway.tenants.Caller;
import io.sipai.runtime.admission.AdmissionClient;
import io.sipai.runtime.admission.AdmissionUnavailableException;
import io.sipai.runtime.events.CallEventEnvelope.CallRef;
import io.sipai.runtime.events.CallEventEnvelope;
import io.sipai.runtime.tracing.CallTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * Places outbound calls: record the request, publish CallRequested, take a slot through admission, then originate
 * through the provider's REST API (any registered {@link TelephonyProvider}). A refused slot answers 429 naming the
 * limit (admission's CallRejected ends the call); every other way the gateway gives up on a call it requested ends
 * the call in the log ({@link CallEnds}): no admission decision in time answers 503 (CallEnded ERROR; the slot a late
 * grant takes is released by the admission client and by the CallEnded), a provider failure 502 (CallEnded
 * FAILED), a CallRequested the broker did not take 500. Events go to {@code call.events.v1} keyed by callId, each
 * acknowledged by the broker before the next step.
 */
@Service
public class OutboundCalls {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundCalls.class);
    private static final Pattern PARTY = Pattern.compile("\\+[1-9][0-9]{6,14}|sips?:[^\\s]{3,250}");

    private final Calls calls;
    private final CallEnds ends;
    private final CallStore store;
    private final RecordPublisher publisher;
    private final AdmissionClient admission;
    private final TelephonyProviders providers;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final CallTracing tracing;

    public OutboundCalls(Calls calls, CallEnds ends, CallStore store, RecordPublisher publisher,
                         AdmissionClient admission, TelephonyProviders providers, ObjectMapper mapper, Clock clock,
                         CallTracing tracing) {
        this.tracing = tracing;
        this.calls = calls;
        this.ends = ends;
        this.store = store;
        this.publisher = publisher;
        this.admission = admission;
        this.providers = providers;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Body of POST /v1/calls. */
    public record PlaceCall(String to, String from, String agentId, String campaignId, String provider,
                            Map<String, String> metadata, CallFeatures.Recording recording,
                            CallFeatures.Voicemail voicemail) {
    }

    public CallView place(Caller caller, PlaceCall body) {
        String callId = UUID.randomUUID().toString();
        return tracing.inSpan("POST /v1/calls", callId, SpanKind.SERVER, () -> place(caller, body, callId));
    }

    private CallView place(Caller caller, PlaceCall body, String callId) {
        String tenantId = caller.tenantId();
        String to = party("to", body.to());
        String from = party("from", body.from());
        TelephonyProvider provider = provider(body.provider());
        String agentId = agent(tenantId, body);
        Map<String, String> metadata = metadata(body.metadata());
        CallFeatures.Overrides overrides = overrides(tenantId, body);
        CallRef ref = new CallRef(callId, tenantId, body.campaignId(), agentId);
        Instant requestedAt = calls.request(new Calls.NewCall(ref.callId(), tenantId, ref.campaignId(), agentId,
                CallDirection.OUTBOUND, provider.transport(), from, to, provider.name(), null, clock.instant(),
                overrides.mediaParameters()));
        try {
            publish(ref, null, requestedAt, new CallRequested(CallDirection.OUTBOUND, provider.transport(), from,
                    to, metadata));
        } catch (RuntimeException e) {
            // The producer may still write the request; the end then follows it on the same partition.
            ends.gaveUp(ref, requestedAt, EndReason.ERROR, "call event log unavailable: " + e.getMessage());
            throw e;
        }
        AdmissionDecision decision = admit(ref, requestedAt, provider);
        if (decision.getOutcome() instanceof Rejected rejected) {
            calls.rejected(ref.callId());
            throw new ApiException(ProblemType.ADMISSION_REJECTED, rejected.getDetail(), Map.of(
                    "limit", rejected.getLimit().name(), "callId", ref.callId()));
        }
        try {
            calls.placed(ref.callId(), provider.originator().originate(new CallOriginator.Origination(ref.callId(),
                    tenantId, agentId, from, to, metadata, overrides.voicemail() != null
                    ? overrides.voicemail().providerAction() : store.voicemailAction(agentId).orElse(null))));
        } catch (CallOriginator.OriginationException e) {
            LOG.warn("origination of call {} through {} failed: {}", ref.callId(), provider.name(), e.getMessage());
            ends.gaveUp(ref, requestedAt, EndReason.FAILED, "origination failed: " + e.getMessage());
            throw new ApiException(ProblemType.ORIGINATION_FAILED, provider.name() + " refused the call: "
                    + e.getMessage(), Map.of("callId", ref.callId()));
        }
        return store.get(tenantId, ref.callId());
    }

    private AdmissionDecision admit(CallRef call, Instant requestedAt, TelephonyProvider provider) {
        try {
            return admission.acquireAndWait(new AdmissionClient.CallSlot(call.callId(), call.tenantId(),
                    call.campaignId(), call.agentId(), EventSource.API_GATEWAY), CallDirection.OUTBOUND,
                    provider.transport());
        } catch (AdmissionUnavailableException e) {
            ends.gaveUp(call, requestedAt, EndReason.ERROR, "admission_unavailable: " + e.getMessage());
            throw new ApiException(ProblemType.ADMISSION_UNAVAILABLE, "admission did not decide on call "
                    + call.callId() + " in time; try again", Map.of("callId", call.callId()));
        }
    }

    /** Ends a call: through its provider when it has one, else by publishing CallEnded (API_HANGUP). */
    public CallView hangup(Caller caller, String callId) {
        CallView call = store.get(caller.tenantId(), callId);
        if ("ENDED".equals(call.status()) || "REJECTED".equals(call.status())) {
            throw new ApiException(ProblemType.CONFLICT, "call " + callId + " is already over");
        }
        Optional<TelephonyProvider> provider = providers.byName(call.provider());
        if (provider.isPresent() && call.providerCallSid() != null) {
            try {
                provider.get().originator().hangup(call.providerCallSid());
            } catch (CallOriginator.OriginationException e) {
                throw new ApiException(ProblemType.ORIGINATION_FAILED, call.provider() + " did not end the call: "
                        + e.getMessage(), Map.of("callId", callId));
            }
        } else {
            publish(new CallRef(callId, call.tenantId(), call.campaignId(), call.agentId()),
                    CallEventEnvelope.stableId(callId, "api-hangup"), clock.instant(),
                    new CallEnded(EndReason.API_HANGUP, "POST /v1/calls/" + callId + "/hangup", 0L));
        }
        return call;
    }

    private void publish(CallRef call, String eventId, Instant occurredAt, Object payload) {
        publisher.sendAndWait(CallEventEnvelope.of(call, EventSource.API_GATEWAY, eventId, occurredAt, payload));
    }

    /** The named provider, or the first configured one when the call names none. */
    private TelephonyProvider provider(String name) {
        if (name != null && providers.byName(name).isEmpty()) {
            throw ApiException.invalid("provider", "must be " + String.join(" or ", providers.names()));
        }
        Optional<TelephonyProvider> chosen = name == null ? providers.firstConfigured()
                : providers.byName(name).filter(provider -> provider.originator().configured());
        return chosen.orElseThrow(() -> new ApiException(ProblemType.PROVIDER_NOT_CONFIGURED, name == null
                ? "no telephony provider is configured (" + providers.settingsHint() + ")"
                : name + " is not configured", Map.of("field", "provider")));
    }

    private String agent(String tenantId, PlaceCall body) {
        String agentId = body.agentId();
        if (body.campaignId() != null) {
            Optional<String> campaignAgent = store.campaignAgent(tenantId, body.campaignId())
                    .orElseThrow(() -> ApiException.invalid("campaignId", "no such campaign"));
            agentId = agentId == null ? campaignAgent.orElse(null) : agentId;
        }
        if (agentId == null) {
            throw ApiException.invalid("agentId", "is required (directly or through the campaign)");
        }
        if (!store.agentExists(tenantId, agentId)) {
            throw ApiException.invalid("agentId", "no such agent");
        }
        return agentId;
    }

    /** The call's own overrides of its agent's features, each part not given taken from its campaign's. */
    private CallFeatures.Overrides overrides(String tenantId, PlaceCall body) {
        CallFeatures.Overrides own = new CallFeatures.Overrides(body.recording(), body.voicemail());
        own.validate();
        CallFeatures.Overrides campaign = body.campaignId() == null ? CallFeatures.Overrides.NONE
                : store.campaignOverrides(tenantId, body.campaignId())
                .map(json -> mapper.readValue(json, CallFeatures.Overrides.class))
                .orElse(CallFeatures.Overrides.NONE);
        return own.over(campaign);
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
