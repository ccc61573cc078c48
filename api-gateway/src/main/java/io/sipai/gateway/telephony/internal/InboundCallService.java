package io.sipai.gateway.telephony.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.opentelemetry.api.trace.SpanKind;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Rejected;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.events.CallAnswered;
import io.sipai.events.CallEnded;
import io.sipai.events.CallRequested;
import io.sipai.events.MachineDetected;
import io.sipai.gateway.calls.CallEnds;
import io.sipai.gateway.calls.CallView;
import io.sipai.gateway.calls.Calls;
import io.sipai.gateway.kafka.RecordPublisher;
import io.sipai.gateway.numbers.PhoneNumberDirectory;
import io.sipai.gateway.telephony.CallOriginator;
import io.sipai.gateway.telephony.CallProgress;
import io.sipai.gateway.telephony.InboundCalls;
import io.sipai.gateway.telephony.TelephonyProvider;
import io.sipai.gateway.telephony.TelephonySettings;
import io.sipai.gateway.tenants.Tenants;
import io.sipai.runtime.admission.AdmissionClient;
import io.sipai.runtime.admission.AdmissionUnavailableException;
import io.sipai.runtime.events.CallEventEnvelope.CallRef;
import io.sipai.runtime.events.CallEventEnvelope;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.telephony.TelephonyToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The inbound flow of every provider ({@link InboundCalls}). Publishes CallRequested (inbound calls), CallAnswered
 * and CallEnded (status callbacks) to {@code call.events.v1}, keyed by callId, and waits for the broker's
 * acknowledgement before it answers the provider. Every id derives from the provider's call sid
 * ({@link CallEventEnvelope#stableId}), so a provider's retry gets the same call and the same event ids, which
 * downstream dedupes; every CallEnded of a call has the call's one gateway end eventId ({@link CallEnds#eventId}),
 * so the gateway ends a provider call at most once whatever final statuses arrive. A call the gateway gives up on
 * after its CallRequested (no admission decision in time, a CallRequested the broker did not take) is ended in the
 * log ({@link CallEnds#gaveUp}) and declined, and a retried call webhook for a call that is over is declined again.
 */
@Service
public class InboundCallService implements InboundCalls {

    private static final Logger LOG = LoggerFactory.getLogger(InboundCallService.class);

    private final Calls calls;
    private final CallEnds ends;
    private final RecordPublisher publisher;
    private final AdmissionClient admission;
    private final Tenants tenants;
    private final PhoneNumberDirectory directory;
    private final TelephonySettings settings;
    private final TelephonyToken tokens;
    private final Clock clock;
    private final CallTracing tracing;

    public InboundCallService(Calls calls, CallEnds ends, RecordPublisher publisher, AdmissionClient admission,
                              Tenants tenants, PhoneNumberDirectory directory, TelephonySettings settings,
                              Clock clock, CallTracing tracing) {
        this.tracing = tracing;
        this.calls = calls;
        this.ends = ends;
        this.publisher = publisher;
        this.admission = admission;
        this.tenants = tenants;
        this.directory = directory;
        this.settings = settings;
        this.tokens = new TelephonyToken(settings.tokenSecret());
        this.clock = clock;
    }

    /**
     * An inbound call goes to the tenant (and agent) its webhook URL names; when the URL names no tenant, to the
     * tenant and agent the phone-number directory holds for the called number; else to TELEPHONY_DEFAULT_TENANT /
     * TELEPHONY_DEFAULT_AGENT. A URL agent applies only where no directory entry does.
     */
    @Override
    public Outcome admit(TelephonyProvider provider, Inbound inbound) {
        Optional<CallView> placed = Optional.ofNullable(inbound.knownCallId()).flatMap(calls::find)
                .filter(call -> CallDirection.OUTBOUND.name().equals(call.direction()));
        if (placed.isPresent()) {
            return outbound(placed.get());
        }
        Route route = route(inbound);
        String callId = CallEventEnvelope.stableId(provider.source().name(), inbound.providerCallSid());
        if (!tenants.exists(route.tenantId())) {
            LOG.warn("inbound {} call {} names unknown tenant {}", provider.name(), callId, route.tenantId());
            return new Declined(callId, "UNKNOWN", "unknown tenant");
        }
        Optional<CallView> retried = calls.find(callId).filter(InboundCallService::over);
        if (retried.isPresent()) {
            // A retry of a call hook the gateway already gave up on (or admission refused): the log says it is over.
            return new Declined(callId, "ALREADY_RELEASED", "call " + callId + " is over");
        }
        return tracing.inSpan(provider.name() + " inbound call", callId, SpanKind.SERVER,
                () -> admitNew(provider, inbound, route, callId));
    }

    /** Requests a new inbound call and asks admission for its slot. */
    private Outcome admitNew(TelephonyProvider provider, Inbound inbound, Route route, String callId) {
        CallRef ref = new CallRef(callId, route.tenantId(), null, route.agentId());
        Instant requestedAt = calls.request(new Calls.NewCall(callId, ref.tenantId(), null, ref.agentId(),
                CallDirection.INBOUND, provider.transport(), inbound.from(), inbound.to(), provider.name(),
                inbound.providerCallSid(), clock.instant(), Map.of()));
        try {
            publisher.sendAndWait(CallEventEnvelope.of(ref, provider.source(),
                    CallEventEnvelope.stableId(callId, "requested"), requestedAt, new CallRequested(
                            CallDirection.INBOUND, provider.transport(), inbound.from(), inbound.to(),
                            inbound.metadata())));
        } catch (RuntimeException e) {
            // The producer may still write the request; the end then follows it on the same partition.
            ends.gaveUp(ref, requestedAt, EndReason.ERROR, "call event log unavailable: " + e.getMessage());
            throw e;
        }
        AdmissionDecision decision;
        try {
            decision = admission.acquireAndWait(new AdmissionClient.CallSlot(callId, ref.tenantId(), null,
                    ref.agentId(), provider.source()), CallDirection.INBOUND, provider.transport());
        } catch (AdmissionUnavailableException e) {
            ends.gaveUp(ref, requestedAt, EndReason.ERROR, "admission_unavailable: " + e.getMessage());
            return new Declined(callId, "UNKNOWN", e.getMessage());
        }
        if (decision.getOutcome() instanceof Rejected rejected) {
            calls.rejected(callId);
            return new Declined(callId, rejected.getLimit().name(), rejected.getDetail());
        }
        return new Admitted(callId, ref.tenantId(), ref.agentId(), null, CallDirection.INBOUND, inbound.from(),
                inbound.to(), token(callId, ref.tenantId(), ref.agentId()), Map.of());
    }

    /** The provider fetches the verbs of a call the API placed: it keeps its own ids and direction. */
    private Outcome outbound(CallView call) {
        if (over(call)) {
            return new Declined(call.id(), "ALREADY_RELEASED", "call " + call.id() + " is over");
        }
        return new Admitted(call.id(), call.tenantId(), call.agentId(), call.campaignId(), CallDirection.OUTBOUND,
                call.from(), call.to(), token(call.id(), call.tenantId(), call.agentId()),
                calls.mediaParameters(call.id()));
    }

    private static boolean over(CallView call) {
        return "REJECTED".equals(call.status()) || "ENDED".equals(call.status());
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

    /**
     * The call is the API's when the provider carries its id back, else the one derived from the provider's call
     * sid. An answer counts for outbound calls only: realtime-edge answers an inbound call when the agent picks up
     * (its media connects).
     */
    @Override
    public boolean status(TelephonyProvider provider, String knownCallId, String providerCallSid,
                          String providerStatus, CallProgress progress, Long durationSec) {
        Optional<CallView> known = Optional.ofNullable(knownCallId).flatMap(calls::find);
        Optional<CallView> call = known.isPresent() ? known
                : calls.find(CallEventEnvelope.stableId(provider.source().name(), providerCallSid));
        if (call.isEmpty()) {
            return false;
        }
        CallView view = call.get();
        boolean outbound = CallDirection.OUTBOUND.name().equals(view.direction());
        String detail = "provider status " + providerStatus;
        Object payload = switch (progress) {
            case ANSWERED -> outbound ? new CallAnswered(null) : null;
            case COMPLETED -> new CallEnded(EndReason.CALLER_HANGUP, detail,
                    durationSec == null ? 0L : durationSec * 1_000);
            case BUSY -> new CallEnded(EndReason.BUSY, detail, 0L);
            case NO_ANSWER -> new CallEnded(EndReason.NO_ANSWER, detail, 0L);
            case FAILED -> new CallEnded(EndReason.FAILED, detail, 0L);
            case NONE -> null;
        };
        if (payload != null) {
            // Every final status of the call shares the call's end eventId: a retried callback, or a second final
            // status, dedupes downstream instead of ending the call twice.
            String eventId = payload instanceof CallEnded ? CallEnds.eventId(view.id())
                    : CallEventEnvelope.stableId(provider.source().name(), providerCallSid, providerStatus);
            publisher.sendAndWait(CallEventEnvelope.of(new CallRef(view.id(), view.tenantId(), view.campaignId(),
                    view.agentId()), provider.source(), eventId, clock.instant(), payload));
        }
        return true;
    }

    @Override
    public boolean machineAnswered(TelephonyProvider provider, String callId, String providerCallSid,
                                   String answeredBy, Long detectionMs, String action) {
        Optional<CallView> call = Optional.ofNullable(callId).flatMap(calls::find);
        if (call.isEmpty()) {
            return false;
        }
        CallView view = call.get();
        CallRef ref = new CallRef(view.id(), view.tenantId(), view.campaignId(), view.agentId());
        String detail = provider.source().name().toLowerCase(Locale.ROOT) + " AnsweredBy=" + answeredBy;
        publisher.sendAndWait(CallEventEnvelope.of(ref, provider.source(), CallEventEnvelope.stableId(
                provider.source().name(), providerCallSid, "machine"), clock.instant(), new MachineDetected("provider",
                detail, detectionMs == null ? 0L : detectionMs, action)));
        if ("hangup".equals(action)) {
            // The call's one gateway end: the provider's final status after the hang-up dedupes against it.
            publisher.sendAndWait(CallEventEnvelope.of(ref, provider.source(), CallEnds.eventId(view.id()),
                    clock.instant(), new CallEnded(EndReason.VOICEMAIL, "answering machine (" + detail + ")", 0L)));
            try {
                provider.originator().hangup(providerCallSid);
            } catch (CallOriginator.OriginationException e) {
                LOG.warn("call {} answered by a machine could not be hung up at {}: {}", view.id(),
                        provider.source(), e.getMessage());
            }
        }
        return true;
    }

    /** The media token binds the call to its agent: the edge serves the agent the token names, whatever else. */
    private String token(String callId, String tenantId, String agentId) {
        return tokens.mint(callId, tenantId, agentId, clock.instant().plusSeconds(settings.tokenTtlSec()));
    }
}
