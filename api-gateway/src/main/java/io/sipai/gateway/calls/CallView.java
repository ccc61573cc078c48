package io.sipai.gateway.calls;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sipai.runtime.tracing.CallTracing;

/**
 * A call as the API shows it: the latest projected timeline summary, or the call as requested until its timeline
 * is projected (version 0), with how it was placed (provider and the provider's call id), and for one call read by
 * id its artifacts: its recording and its post-call analysis (null in lists and while there are none), and the id of
 * its trace.
 */
public record CallView(String id, String tenantId, String campaignId, String agentId, String status,
                       String direction, String transport, String from, String to, String provider,
                       String providerCallSid, OffsetDateTime requestedAt, OffsetDateTime admittedAt,
                       OffsetDateTime startedAt, OffsetDateTime answeredAt, OffsetDateTime endedAt, String endReason,
                       Long durationMs, int turns, int agentUtterances, int toolCalls, int bargeIns, int dtmfCount,
                       long entryCount, OffsetDateTime lastEventAt, long version, OffsetDateTime createdAt,
                       CallRecording recording, CallAnalysis analysis) {

    /** The call's trace id ({@link CallTracing#traceId}), so an operator goes from a call to its trace. */
    @JsonProperty("traceId")
    public String traceId() {
        return CallTracing.traceId(id);
    }

    /** This call with its artifacts. */
    public CallView withArtifacts(CallRecording withRecording, CallAnalysis withAnalysis) {
        return new CallView(id, tenantId, campaignId, agentId, status, direction, transport, from, to, provider,
                providerCallSid, requestedAt, admittedAt, startedAt, answeredAt, endedAt, endReason, durationMs,
                turns, agentUtterances, toolCalls, bargeIns, dtmfCount, entryCount, lastEventAt, version, createdAt,
                withRecording, withAnalysis);
    }
}
