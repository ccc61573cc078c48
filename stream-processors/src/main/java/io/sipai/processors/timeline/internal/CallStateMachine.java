package io.sipai.processors.timeline.internal;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.Transport;
import io.sipai.events.AgentUtterance;
import io.sipai.events.BargeIn;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallAnswered;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRejected;
import io.sipai.events.CallRequested;
import io.sipai.events.CallStarted;
import io.sipai.events.DtmfReceived;
import io.sipai.events.SlotReclaimed;
import io.sipai.events.ToolCallRequested;
import io.sipai.events.TranscriptChunk;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;

/**
 * The call state machine: REQUESTED -> ADMITTED | REJECTED; ADMITTED -> RINGING (media up) -> IN_PROGRESS
 * (answered); any non-terminal state -> ENDED. An outbound call's answer (the provider, through api-gateway) and its
 * media connection (realtime-edge) are independent facts, so CallStarted is also accepted once after CallAnswered
 * and keeps IN_PROGRESS. A timeline starts with CallRequested (producers write it before admission can answer, see
 * docs/events.md), or with the admission decision for a call whose CallRequested was never written. In-call facts
 * (speech, transcripts, utterances, tools, DTMF, metrics, recordings) are accepted once admitted and before the end.
 *
 * <p>Some ends are told by a source that does not carry the call's media, so the call's duration is not known to
 * it: SlotReclaimed and CallEnded {@code SLOT_EXPIRED} or {@code EDGE_LOST} from admission, CallEnded
 * {@code API_HANGUP} from api-gateway. Such an end leaves the summary's duration open, and the edge's own CallEnded
 * that follows when it learns of the end (the trailing end) is recorded once and supplies the duration; the first
 * end's reason and time stay. Another such bystander's CallEnded before it (admission's CallEnded after its own
 * SlotReclaimed, or an EDGE_LOST racing an API hangup) is recorded too and keeps the duration open; each of those
 * has an eventId fixed per call, so it comes once. Any CallEnded after the trailing end is AFTER_END. Pure: no
 * Kafka types, so it is tested directly.
 */
public final class CallStateMachine {

    /** End reasons told by admission or api-gateway, which do not know how long the call's media ran. */
    static final Set<EndReason> BYSTANDER_ENDS = EnumSet.of(EndReason.SLOT_EXPIRED, EndReason.EDGE_LOST,
            EndReason.API_HANGUP);

    private CallStateMachine() {
    }

    /** Whether an ended call still waits for the edge's own CallEnded: a bystander ended it, and none came yet. */
    private static boolean awaitsTrailingEnd(CallTimeline current) {
        return current.getStatus() == CallStatus.ENDED && BYSTANDER_ENDS.contains(current.getEndReason())
                && current.getDurationMs() == null;
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
        CallTimeline.Builder next = CallTimeline.newBuilder(current);
        if (event.getAgentId() != null && current.getAgentId() == null) {
            next.setAgentId(event.getAgentId());
        }
        if (status == CallStatus.REJECTED || status == CallStatus.ENDED) {
            if (payload instanceof CallEnded ended && awaitsTrailingEnd(current)) {
                return new Applied(BYSTANDER_ENDS.contains(ended.getReason()) ? next
                        : next.setDurationMs(ended.getDurationMs()));
            }
            return new Refused(QuarantineReason.AFTER_END, type + " after the call " + (status == CallStatus.ENDED
                    ? "ended" : "was rejected") + " (" + current.getLastEventId() + ")");
        }
        return switch (payload) {
            case CallRequested requested -> current.getRequestedAt() == null
                    ? new Applied(requested(next, requested, event.getOccurredAt()))
                    : invalid(status, type);
            case CallAdmitted ignored -> status == CallStatus.REQUESTED
                    ? new Applied(next.setStatus(CallStatus.ADMITTED).setAdmittedAt(event.getOccurredAt()))
                    : invalid(status, type);
            case CallRejected ignored -> status == CallStatus.REQUESTED
                    ? new Applied(next.setStatus(CallStatus.REJECTED).setEndedAt(event.getOccurredAt())
                    .setEndReason(EndReason.REJECTED))
                    : invalid(status, type);
            case CallStarted started -> status == CallStatus.ADMITTED
                    || status == CallStatus.IN_PROGRESS && current.getStartedAt() == null
                    ? new Applied(started(next, started, event.getOccurredAt()))
                    : invalid(status, type);
            case CallAnswered ignored -> status == CallStatus.ADMITTED || status == CallStatus.RINGING
                    ? new Applied(next.setStatus(CallStatus.IN_PROGRESS).setAnsweredAt(event.getOccurredAt()))
                    : invalid(status, type);
            case CallEnded ended -> new Applied(next.setStatus(CallStatus.ENDED).setEndedAt(event.getOccurredAt())
                    .setEndReason(ended.getReason()).setDurationMs(BYSTANDER_ENDS.contains(ended.getReason()) ? null
                            : ended.getDurationMs()));
            case SlotReclaimed ignored -> status == CallStatus.REQUESTED ? invalid(status, type)
                    : new Applied(next.setStatus(CallStatus.ENDED).setEndedAt(event.getOccurredAt())
                    .setEndReason(EndReason.SLOT_EXPIRED));
            default -> status == CallStatus.REQUESTED ? invalid(status, type) : new Applied(count(next, payload));
        };
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

    private static CallTimeline.Builder started(CallTimeline.Builder next, CallStarted started, Instant at) {
        if (next.getStatus() == CallStatus.ADMITTED) {
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
        return next;
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

    private static Outcome invalid(CallStatus status, String type) {
        return new Refused(QuarantineReason.INVALID_TRANSITION, type + " is not allowed in state " + status);
    }
}
