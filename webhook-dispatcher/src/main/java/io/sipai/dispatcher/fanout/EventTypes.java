package io.sipai.dispatcher.fanout;

import java.util.List;
import java.util.Optional;

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
import io.sipai.events.MachineDetected;
import io.sipai.events.RecordingAvailable;
import io.sipai.events.ToolCallCompleted;
import io.sipai.events.ToolCallRequested;
import io.sipai.events.TranscriptChunk;
import io.sipai.events.TurnMetrics;
import io.sipai.events.VoicemailLeft;

/**
 * The webhook event types customers subscribe to, and which call event each one comes from. Events without a
 * webhook type (speech-start markers, slot reclamation) are internal and never leave the platform.
 */
public final class EventTypes {

    /** Subscribes to every type. */
    public static final String ALL = "*";

    /** Every subscribable type, in call order. */
    public static final List<String> SUBSCRIBABLE = List.of("call.requested", "call.admitted", "call.rejected",
            "call.started", "call.answered", "transcript.partial", "transcript.final", "agent.utterance", "barge_in",
            "tool_call.requested", "tool_call.completed", "dtmf", "turn.metrics", "call.machine_detected",
            "voicemail.left", "call.ended", "recording.available", "call.analyzed", "call.analysis_failed");

    private EventTypes() {
    }

    /** The webhook type of {@code event}, or empty when it is not delivered as a webhook. */
    public static Optional<String> of(CallEvent event) {
        return Optional.ofNullable(switch (event.getPayload()) {
            case CallRequested ignored -> "call.requested";
            case CallAdmitted ignored -> "call.admitted";
            case CallRejected ignored -> "call.rejected";
            case CallStarted ignored -> "call.started";
            case CallAnswered ignored -> "call.answered";
            case TranscriptChunk chunk -> chunk.getIsFinal() ? "transcript.final" : "transcript.partial";
            case AgentUtterance ignored -> "agent.utterance";
            case BargeIn ignored -> "barge_in";
            case ToolCallRequested ignored -> "tool_call.requested";
            case ToolCallCompleted ignored -> "tool_call.completed";
            case DtmfReceived ignored -> "dtmf";
            case TurnMetrics ignored -> "turn.metrics";
            case RecordingAvailable ignored -> "recording.available";
            case MachineDetected ignored -> "call.machine_detected";
            case VoicemailLeft ignored -> "voicemail.left";
            case CallEnded ignored -> "call.ended";
            case CallAnalyzed ignored -> "call.analyzed";
            case CallAnalysisFailed ignored -> "call.analysis_failed";
            default -> null;
        });
    }

    /** Whether a subscription's type list selects {@code type}. */
    public static boolean selects(List<String> subscribed, String type) {
        return subscribed.contains(ALL) || subscribed.contains(type);
    }
}
