package io.sipai.processors.timeline.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.AgentUtterance;
import io.sipai.events.BargeIn;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallAnalysisFailed;
import io.sipai.events.CallAnalyzed;
import io.sipai.events.CallAnswered;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRejected;
import io.sipai.events.CallRequested;
import io.sipai.events.CallStarted;
import io.sipai.events.DtmfReceived;
import io.sipai.events.RecordingAvailable;
import io.sipai.events.SlotReclaimed;
import io.sipai.events.ToolCallRequested;
import io.sipai.events.TranscriptChunk;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;

/**
 * The call state machine: which event may follow which, so that the timeline (and every webhook, which is made from
 * it) holds each call's lifecycle once and in an order that makes sense, whatever order the independent sources
 * wrote it in (docs/events.md lists the orders each provider produces).
 * <ul>
 *   <li>REQUESTED -> ADMITTED (CallAdmitted) | REJECTED (CallRejected). A timeline starts with CallRequested
 *       (producers write it before admission can answer), or with the admission decision for a call whose
 *       CallRequested was never written.</li>
 *   <li>The media connection (CallStarted, realtime-edge) and the answer (CallAnswered: the provider's status
 *       callback through api-gateway, or the edge for inbound calls) are independent facts, and providers report
 *       them in either order (jambonz and Twilio send status {@code in-progress} before or after the media socket
 *       opens). ADMITTED -> RINGING on CallStarted -> IN_PROGRESS on CallAnswered; or ADMITTED -> IN_PROGRESS on
 *       CallAnswered, and a CallStarted after it keeps IN_PROGRESS and records startedAt. Each is accepted once.</li>
 *   <li>One end: the first CallEnded, from whichever source (the edge, a provider's status callback, admission's
 *       EDGE_LOST or SLOT_EXPIRED, an API hangup, a give-up during admission), ends the call from any state that is
 *       not terminal, REQUESTED and ADMITTED included. Every later event, another CallEnded included, is AFTER_END:
 *       the raw log may hold one CallEnded per source, the timeline holds one.</li>
 *   <li>A CallEnded written by a source that does not carry the call's media ({@link #BYSTANDERS}) does not know
 *       how long the media ran, so the summary's duration runs from answeredAt (else startedAt) to the end; for a
 *       call that never connected it is the event's own (from CallRequested to the give-up, as every source
 *       reports it then). The edge's and the providers' CallEnded report the duration they measured.</li>
 *   <li>SlotReclaimed is an entry, not an end: admission writes the CallEnded SLOT_EXPIRED that ends the call in
 *       the same transaction, right after it.</li>
 *   <li>In-call facts (speech, transcripts, utterances, tools, DTMF, metrics) are accepted once admitted and
 *       before the end. Artifacts of the call (RecordingAvailable, CallAnalyzed, CallAnalysisFailed) are
 *       accepted after the end too: the edge finishes a recording as the call ends (a provider's CallEnded may have
 *       ended the call first), and the analysis is made from the ended call.</li>
 * </ul>
 * Pure: no Kafka types, so it is tested directly.
 */
public final class CallStateMachine {

    /**
     * Sources that end calls whose media they do not carry: admission (EDGE_LOST, SLOT_EXPIRED) and api-gateway's
     * own API (API_HANGUP of a call with no provider, a call given up during admission). Providers' status
     * callbacks are written with the provider as source and report the provider's duration.
     */
    static final Set<EventSource> BYSTANDERS = EnumSet.of(EventSource.STREAM_PROCESSORS, EventSource.API_GATEWAY);

    private CallStateMachine() {
    }

    /** What applying an event gives. */
    public sealed interface Outcome permits Applied, Refused {
    }

    /** The event applies; {@code timeline} is the new summary without entryCount, version and last-event fields. */
    public record Applied(CallTimeline.Builder timeline) implements Outcome {
    }

    /** The event cannot apply. */
    public record Refused(QuarantineReason reasonCode, String reason) implements Outcome {
    }

    /** Applies {@code event} to {@code current} (null for a call not seen yet). */
    public static Outcome apply(CallTimeline current, CallEvent event) {
        Object payload = event.getPayload();
        String type = payload.getClass().getSimpleName();
        if (current == null) {
            return start(event, payload, type);
        }
        CallStatus status = current.getStatus();
        if (status == CallStatus.ENDED && isArtifact(payload)) {
            return new Applied(CallTimeline.newBuilder(current));
        }
        if (status == CallStatus.REJECTED || status == CallStatus.ENDED) {
            return new Refused(QuarantineReason.AFTER_END, type + " after the call " + (status == CallStatus.ENDED
                    ? "ended (" + current.getEndReason() + ", event " : "was rejected (event ")
                    + current.getLastEventId() + ")");
        }
        CallTimeline.Builder next = CallTimeline.newBuilder(current);
        if (event.getAgentId() != null && current.getAgentId() == null) {
            next.setAgentId(event.getAgentId());
        }
        Instant at = event.getOccurredAt();
        return switch (payload) {
            case CallRequested requested -> current.getRequestedAt() == null
                    ? new Applied(requested(next, requested, at))
                    : invalid(status, type, "the call was already requested");
            case CallAdmitted ignored -> status == CallStatus.REQUESTED
                    ? new Applied(next.setStatus(CallStatus.ADMITTED).setAdmittedAt(at))
                    : invalid(status, type, "the call was already admitted");
            case CallRejected ignored -> status == CallStatus.REQUESTED
                    ? new Applied(next.setStatus(CallStatus.REJECTED).setEndedAt(at).setEndReason(EndReason.REJECTED))
                    : invalid(status, type, "the call was already admitted");
            case CallStarted started -> started(current, next, started, at);
            case CallAnswered ignored -> answered(current, next, at);
            case CallEnded ended -> new Applied(ended(current, next, event, ended));
            case SlotReclaimed ignored -> status == CallStatus.REQUESTED ? invalid(status, type, null)
                    : new Applied(next);
            default -> status == CallStatus.REQUESTED ? invalid(status, type, null) : new Applied(count(next, payload));
        };
    }

    /** Facts made from the call after it ended, accepted then too. */
    private static boolean isArtifact(Object payload) {
        return payload instanceof RecordingAvailable || payload instanceof CallAnalyzed
                || payload instanceof CallAnalysisFailed;
    }

    private static Outcome start(CallEvent event, Object payload, String type) {
        CallTimeline.Builder timeline = CallTimeline.newBuilder()
                .setCallId(event.getCallId())
                .setTenantId(event.getTenantId())
                .setCampaignId(event.getCampaignId())
                .setAgentId(event.getAgentId())
                .setDirection(CallDirection.UNKNOWN)
                .setTransport(Transport.UNKNOWN)
                .setEntryCount(0)
                .setLastEventId("")
                .setLastEventAt(event.getOccurredAt())
                .setVersion(0);
        return switch (payload) {
            case CallRequested requested -> new Applied(requested(timeline.setStatus(CallStatus.REQUESTED), requested,
                    event.getOccurredAt()));
            case CallAdmitted ignored -> new Applied(timeline.setStatus(CallStatus.ADMITTED)
                    .setAdmittedAt(event.getOccurredAt()));
            case CallRejected ignored -> new Applied(timeline.setStatus(CallStatus.REJECTED)
                    .setEndedAt(event.getOccurredAt()).setEndReason(EndReason.REJECTED));
            default -> new Refused(QuarantineReason.UNKNOWN_CALL, type + " for a call with no CallRequested, "
                    + "CallAdmitted or CallRejected before it");
        };
    }

    private static CallTimeline.Builder requested(CallTimeline.Builder next, CallRequested requested, Instant at) {
        return next.setRequestedAt(at).setDirection(requested.getDirection()).setTransport(requested.getTransport())
                .setFrom(requested.getFrom()).setTo(requested.getTo());
    }

    /** The media connected: ADMITTED -> RINGING, or IN_PROGRESS stays when the answer was reported first. */
    private static Outcome started(CallTimeline current, CallTimeline.Builder next, CallStarted started,
                                   Instant at) {
        CallStatus status = current.getStatus();
        if (current.getStartedAt() != null) {
            return invalid(status, "CallStarted", "the call's media already started");
        }
        if (status != CallStatus.ADMITTED && status != CallStatus.IN_PROGRESS) {
            return invalid(status, "CallStarted", null);
        }
        if (status == CallStatus.ADMITTED) {
            next.setStatus(CallStatus.RINGING);
        }
        next.setStartedAt(at).setTransport(started.getTransport());
        if (next.getDirection() == CallDirection.UNKNOWN) {
            next.setDirection(started.getDirection());
        }
        if (next.getFrom() == null) {
            next.setFrom(started.getFrom());
        }
        if (next.getTo() == null) {
            next.setTo(started.getTo());
        }
        return new Applied(next);
    }

    /** The call was answered: ADMITTED or RINGING -> IN_PROGRESS, once. */
    private static Outcome answered(CallTimeline current, CallTimeline.Builder next, Instant at) {
        CallStatus status = current.getStatus();
        if (current.getAnsweredAt() != null) {
            return invalid(status, "CallAnswered", "the call was already answered");
        }
        if (status != CallStatus.ADMITTED && status != CallStatus.RINGING) {
            return invalid(status, "CallAnswered", null);
        }
        return new Applied(next.setStatus(CallStatus.IN_PROGRESS).setAnsweredAt(at));
    }

    /** The one end of the call: status, time, reason and the duration (measured, or derived for a bystander). */
    private static CallTimeline.Builder ended(CallTimeline current, CallTimeline.Builder next, CallEvent event,
                                              CallEnded ended) {
        Instant at = event.getOccurredAt();
        Instant connectedAt = current.getAnsweredAt() != null ? current.getAnsweredAt() : current.getStartedAt();
        long durationMs = BYSTANDERS.contains(event.getSource()) && connectedAt != null
                ? Math.max(0, Duration.between(connectedAt, at).toMillis()) : ended.getDurationMs();
        return next.setStatus(CallStatus.ENDED).setEndedAt(at).setEndReason(ended.getReason())
                .setDurationMs(durationMs);
    }

    private static CallTimeline.Builder count(CallTimeline.Builder next, Object payload) {
        switch (payload) {
            case TranscriptChunk chunk when chunk.getIsFinal() -> next.setTurns(next.getTurns() + 1);
            case AgentUtterance ignored -> next.setAgentUtterances(next.getAgentUtterances() + 1);
            case ToolCallRequested ignored -> next.setToolCalls(next.getToolCalls() + 1);
            case BargeIn ignored -> next.setBargeIns(next.getBargeIns() + 1);
            case DtmfReceived ignored -> next.setDtmfCount(next.getDtmfCount() + 1);
            default -> {
                // UserSpeechStarted, interim transcripts, ToolCallCompleted, TurnMetrics, RecordingAvailable:
                // recorded as entries, no counter.
            }
        }
        return next;
    }

    private static Outcome invalid(CallStatus status, String type, String why) {
        return new Refused(QuarantineReason.INVALID_TRANSITION, type + " is not allowed in state " + status
                + (why == null ? "" : ": " + why));
    }
}
