package io.sipai.testing.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.Heartbeat;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.config.SigningSecret;
import io.sipai.config.WebhookSubscription;
import io.sipai.events.AgentUtterance;
import io.sipai.events.BargeIn;
import io.sipai.events.CallAnswered;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRequested;
import io.sipai.events.CallStarted;
import io.sipai.events.DtmfReceived;
import io.sipai.events.ToolCallRequested;
import io.sipai.events.TranscriptChunk;
import io.sipai.events.TurnMetrics;
import io.sipai.timeline.TimelineEntry;

/**
 * Builders of the commands, events and subscriptions tests feed in: realistic values, fixed time {@link #T0} unless a
 * test needs the clock.
 */
public final class Events {

    public static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private Events() {
    }

    public static AdmissionCommand acquire(String callId, String tenantId, String campaignId) {
        return command(callId, tenantId, campaignId, AcquireSlot.newBuilder().setDirection(CallDirection.INBOUND)
                .setTransport(Transport.WEBSOCKET).build());
    }

    public static AdmissionCommand heartbeat(String callId, String tenantId) {
        return command(callId, tenantId, null, Heartbeat.newBuilder().build());
    }

    public static AdmissionCommand release(String callId, String tenantId, String campaignId) {
        return command(callId, tenantId, campaignId, ReleaseSlot.newBuilder().setReason("test").build());
    }

    public static AdmissionCommand command(String callId, String tenantId, String campaignId, Object command) {
        return AdmissionCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setCallId(callId)
                .setTenantId(tenantId).setCampaignId(campaignId).setIssuedAt(T0)
                .setSource(EventSource.API_GATEWAY).setCommand(command).build();
    }

    public static CallEvent event(String callId, String tenantId, Object payload) {
        return CallEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setCallId(callId).setTenantId(tenantId)
                .setOccurredAt(T0).setSource(EventSource.REALTIME_EDGE).setPayload(payload).build();
    }

    public static CallRequested requested() {
        return CallRequested.newBuilder().setDirection(CallDirection.INBOUND).setTransport(Transport.WEBSOCKET)
                .setFrom("+15550001").setTo("+15550002").setMetadata(Map.of()).build();
    }

    public static CallStarted started() {
        return CallStarted.newBuilder().setDirection(CallDirection.INBOUND).setTransport(Transport.WEBSOCKET).build();
    }

    public static CallAnswered answered() {
        return CallAnswered.newBuilder().build();
    }

    public static TranscriptChunk transcript(String text, boolean isFinal, int turn) {
        return TranscriptChunk.newBuilder().setText(text).setIsFinal(isFinal).setConfidence(0.9f)
                .setAudioStartMs(0).setAudioEndMs(100).setTurn(turn).build();
    }

    public static AgentUtterance utterance(String text, int turn) {
        return AgentUtterance.newBuilder().setUtteranceId(UUID.randomUUID().toString()).setText(text)
                .setInterrupted(false).setTurn(turn).build();
    }

    public static ToolCallRequested toolCall(String name) {
        return ToolCallRequested.newBuilder().setToolCallId(UUID.randomUUID().toString()).setName(name)
                .setArgumentsJson("{}").build();
    }

    public static BargeIn bargeIn() {
        return BargeIn.newBuilder().setAudioOffsetMs(1000).setReactionMs(80).build();
    }

    public static DtmfReceived dtmf(String digits) {
        return DtmfReceived.newBuilder().setDigits(digits).build();
    }

    public static CallEnded ended(EndReason reason) {
        return CallEnded.newBuilder().setReason(reason).setDurationMs(60_000).build();
    }

    /** An event of the call at the current time, from agent {@code agent-1}. */
    public static CallEvent eventNow(String callId, String tenantId, Object payload) {
        return CallEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setCallId(callId)
                .setTenantId(tenantId).setCampaignId(null).setAgentId("agent-1")
                .setOccurredAt(Instant.now()).setSource(EventSource.REALTIME_EDGE).setPayload(payload).build();
    }

    /**
     * The timeline entry number {@code seq} recording {@code event}, as stream-processors writes it to
     * call.timeline-entries.v1 once the call's timeline accepted the event (what webhook-dispatcher fans out).
     */
    public static TimelineEntry entry(CallEvent event, long seq) {
        return TimelineEntry.newBuilder().setCallId(event.getCallId()).setTenantId(event.getTenantId()).setSeq(seq)
                .setEventId(event.getEventId()).setEventType(event.getPayload().getClass().getSimpleName())
                .setOccurredAt(event.getOccurredAt()).setEvent(event).build();
    }

    /** Turn metrics of turn 1 with fixed latencies. */
    public static TurnMetrics turnMetrics() {
        return new TurnMetrics(1, 10L, 20L, 30L, 40L);
    }

    /** A signing secret of the Standard Webhooks test vectors' form. */
    public static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    /** An enabled subscription (version 1) signing with {@link #SECRET}. */
    public static WebhookSubscription subscription(String id, String tenantId, String url, List<String> types) {
        return WebhookSubscription.newBuilder().setSubscriptionId(id).setTenantId(tenantId).setVersion(1)
                .setUpdatedAt(Instant.now()).setDeleted(false).setUrl(url).setEventTypes(types).setEnabled(true)
                .setSecrets(List.of(new SigningSecret(SECRET, null))).build();
    }
}
