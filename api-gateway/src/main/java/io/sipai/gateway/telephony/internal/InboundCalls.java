package io.sipai.gateway.telephony.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Rejected;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallAnswered;
import io.sipai.events.CallEnded;
import io.sipai.events.CallRequested;
import io.sipai.gateway.calls.CallEvents;
import io.sipai.gateway.calls.CallStore;
import io.sipai.gateway.calls.CallView;
import io.sipai.gateway.numbers.PhoneNumberDirectory;
import io.sipai.gateway.telephony.TelephonySettings;
import io.sipai.gateway.tenants.internal.ApiKeyStore;
import io.sipai.runtime.admission.AdmissionClient;
import io.sipai.runtime.admission.AdmissionUnavailableException;
import io.sipai.schemas.telephony.TelephonyToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * What both providers' webhooks share once their signature is checked: route an inbound call to a tenant and agent
 * (see {@link #admit}), admit it (or recognise an outbound one the API placed), mint its media token
 * ({@link TelephonyToken}, the contract realtime-edge verifies), and turn provider status callbacks into call events.
 */
@Service
public class InboundCalls {

    private static final Logger LOG = LoggerFactory.getLogger(InboundCalls.class);

    private final CallStore calls;
    private final CallEvents events;
    private final AdmissionClient admission;
    private final ApiKeyStore tenants;
    private final PhoneNumberDirectory directory;
    private final TelephonySettings settings;
    private final TelephonyToken tokens;
    private final Clock clock;

    public InboundCalls(CallStore calls, CallEvents events, AdmissionClient admission, ApiKeyStore tenants,
                        PhoneNumberDirectory directory, TelephonySettings settings, Clock clock) {
        this.calls = calls;
        this.events = events;
        this.admission = admission;
        this.tenants = tenants;
        this.directory = directory;
        this.settings = settings;
        this.tokens = new TelephonyToken(settings.tokenSecret());
        this.clock = clock;
    }

    /** A call the provider announced. */
    public record Inbound(String providerCallSid, String knownCallId, String tenantId, String agentId, String from,
                          String to, Transport transport, EventSource source, Map<String, String> metadata) {
    }

    /** Connect the audio (with token) or decline. */
    public sealed interface Outcome permits Admitted, Declined {
    }

    /** An admitted call with what realtime-edge needs to let its media connection in. */
    public record Admitted(String callId, String tenantId, String agentId, String campaignId, CallDirection direction,
                           String from, String to, String token) implements Outcome {

        /**
         * The parameters of the media connection (Twilio {@code <Parameter>}s, jambonz {@code listen} query) in
         * the order of {@link TelephonyToken#PARAMS}; absent values are left out.
         */
        public Map<String, String> mediaParameters() {
            Map<String, String> values = new LinkedHashMap<>();
            values.put(TelephonyToken.PARAM_CALL_ID, callId);
            values.put(TelephonyToken.PARAM_TENANT_ID, tenantId);
            values.put(TelephonyToken.PARAM_TOKEN, token);
            values.put(TelephonyToken.PARAM_AGENT_ID, agentId);
            values.put(TelephonyToken.PARAM_CAMPAIGN_ID, campaignId);
            values.put(TelephonyToken.PARAM_FROM, from);
            values.put(TelephonyToken.PARAM_TO, to);
            values.put(TelephonyToken.PARAM_DIRECTION, direction.name().toLowerCase(Locale.ROOT));
            values.values().removeIf(java.util.Objects::isNull);
            return values;
        }
    }

    public record Declined(String callId, String limit, String detail) implements Outcome {
    }

    /**
     * Admits a call. An inbound call goes to the tenant (and agent) its webhook URL names; when the URL names no
     * tenant, to the tenant and agent the phone-number directory holds for the called number; else to
     * TELEPHONY_DEFAULT_TENANT / TELEPHONY_DEFAULT_AGENT. A URL agent applies only where no directory entry does.
     */
    public Outcome admit(Inbound inbound) {
        Optional<CallView> placed = Optional.ofNullable(inbound.knownCallId()).flatMap(calls::byId)
                .filter(call -> "OUTBOUND".equals(call.direction()));
        if (placed.isPresent()) {
            CallView call = placed.get();
            if ("REJECTED".equals(call.status()) || "ENDED".equals(call.status())) {
                return new Declined(call.id(), "ALREADY_RELEASED", "call " + call.id() + " is over");
            }
            return new Admitted(call.id(), call.tenantId(), call.agentId(), call.campaignId(), CallDirection.OUTBOUND,
                    call.from(), call.to(), token(call.id(), call.tenantId()));
        }
        Route route = route(inbound);
        String tenantId = route.tenantId();
        String agentId = route.agentId();
        String callId = CallEvents.stableId(inbound.source().name(), inbound.providerCallSid());
        if (!tenants.tenantExists(tenantId)) {
            LOG.warn("inbound {} call {} names unknown tenant {}", inbound.source(), callId, tenantId);
            return new Declined(callId, "UNKNOWN", "unknown tenant");
        }
        if (calls.insertRequested(new CallStore.NewCall(callId, tenantId, null, agentId, "INBOUND",
                inbound.transport().name(), inbound.from(), inbound.to(), inbound.source().name()
                        .toLowerCase(Locale.ROOT)))) {
            calls.setProviderCallSid(callId, inbound.providerCallSid());
        }
        CallEvents.CallRef ref = new CallEvents.CallRef(callId, tenantId, null, agentId);
        events.publish(ref, inbound.source(), CallEvents.stableId(callId, "requested"), new CallRequested(
                CallDirection.INBOUND, inbound.transport(), inbound.from(), inbound.to(), inbound.metadata()));
        AdmissionDecision decision;
        try {
            decision = admission.acquireAndWait(new AdmissionClient.CallSlot(callId, tenantId, null, agentId,
                    inbound.source()), CallDirection.INBOUND, inbound.transport());
        } catch (AdmissionUnavailableException e) {
            return new Declined(callId, "UNKNOWN", e.getMessage());
        }
        if (decision.getOutcome() instanceof Rejected rejected) {
            calls.markStatus(callId, "REJECTED");
            return new Declined(callId, rejected.getLimit().name(), rejected.getDetail());
        }
        return new Admitted(callId, tenantId, agentId, null, CallDirection.INBOUND, inbound.from(), inbound.to(),
                token(callId, tenantId));
    }

    /** The tenant and agent of an inbound call. */
    private record Route(String tenantId, String agentId) {
    }

    private Route route(Inbound inbound) {
        String agentId = inbound.agentId() == null ? settings.defaultAgent() : inbound.agentId();
        if (inbound.tenantId() != null) {
            return new Route(inbound.tenantId(), agentId);
        }
        return CalledNumber.e164(inbound.to()).flatMap(directory::route)
                .map(entry -> new Route(entry.tenantId(), entry.agentId()))
                .orElseGet(() -> new Route(settings.defaultTenant(), agentId));
    }

    /** The call a status callback is about: the API's id when the provider carries it, else the derived one. */
    public String callIdFor(EventSource source, String knownCallId, String providerCallSid) {
        if (knownCallId != null && calls.byId(knownCallId).isPresent()) {
            return knownCallId;
        }
        return CallEvents.stableId(source.name(), providerCallSid);
    }

    /**
     * Publishes the call event a provider status means, if any; false when the call is unknown. {@code in-progress}
     * answers outbound calls only: realtime-edge answers inbound ones.
     */
    public boolean status(EventSource source, String callId, String providerCallSid, String status,
                          Long durationSec) {
        Optional<CallView> call = calls.byId(callId);
        if (call.isEmpty()) {
            return false;
        }
        boolean outbound = "OUTBOUND".equals(call.get().direction());
        Object payload = switch (status == null ? "" : status) {
            // realtime-edge reports an inbound call answered when the agent picks up (its media connects).
            case "in-progress" -> outbound ? new CallAnswered(null) : null;
            case "completed" -> new CallEnded(EndReason.CALLER_HANGUP, "provider status completed",
                    durationSec == null ? 0L : durationSec * 1_000);
            case "busy" -> new CallEnded(EndReason.BUSY, "provider status busy", 0L);
            case "no-answer" -> new CallEnded(EndReason.NO_ANSWER, "provider status no-answer", 0L);
            case "failed", "canceled" -> new CallEnded(EndReason.FAILED, "provider status " + status, 0L);
            default -> null;
        };
        if (payload != null) {
            CallView view = call.get();
            events.publish(new CallEvents.CallRef(callId, view.tenantId(), view.campaignId(), view.agentId()),
                    source, CallEvents.stableId(source.name(), providerCallSid, status), payload);
        }
        return true;
    }

    private String token(String callId, String tenantId) {
        return tokens.mint(callId, tenantId, clock.instant().plusSeconds(settings.tokenTtlSec()));
    }
}
