package io.sipai.dispatcher.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.sipai.common.AdmissionCounters;
import io.sipai.common.AdmissionLimit;
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
import io.sipai.events.MachineDetected;
import io.sipai.events.RecordingAvailable;
import io.sipai.events.SlotReclaimed;
import io.sipai.events.ToolCallCompleted;
import io.sipai.events.ToolCallRequested;
import io.sipai.events.TranscriptChunk;
import io.sipai.events.TurnMetrics;
import io.sipai.events.UserSpeechStarted;
import io.sipai.events.VoicemailLeft;
import io.sipai.runtime.json.AvroJson;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook body format of docs/webhooks.md, and the promise behind it: a customer sees an event the same way in
 * a webhook's {@code data} as in the REST API's timeline entry (api-gateway serves {@code AvroJson.tree(event)}'s
 * {@code payload} without its {@code type} member), for every call event type.
 */
class WebhookPayloadsTest {

    private static final Instant AT = Instant.parse("2026-01-01T10:00:03.250Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> ENVELOPE_FIELDS = List.of("eventId", "callId", "tenantId", "campaignId",
            "agentId");
    private static final AdmissionCounters COUNTERS = AdmissionCounters.newBuilder().setGlobalActive(42)
            .setGlobalLimit(10_000).setTenantActive(7).setTenantLimit(200).setCampaignActive(null)
            .setCampaignLimit(null).build();

    private final WebhookPayloads payloads = new WebhookPayloads("https://api.example.com/");

    /** One event of every payload type, with nulls, a map, a float, timestamps and text that needs escaping. */
    private static List<Object> everyPayload() {
        return List.of(
                CallRequested.newBuilder().setDirection(CallDirection.OUTBOUND).setTransport(Transport.TWILIO)
                        .setFrom("+15550100200").setTo(null).setMetadata(Map.of("zeta", "1", "alpha", "\"two\""))
                        .build(),
                CallAdmitted.newBuilder().setCounters(COUNTERS).setLeaseExpiresAt(AT.plusSeconds(600)).build(),
                CallRejected.newBuilder().setLimit(AdmissionLimit.TENANT).setDetail("tenant limit 200 reached")
                        .setCounters(COUNTERS).build(),
                CallStarted.newBuilder().setDirection(CallDirection.INBOUND).setTransport(Transport.JAMBONZ)
                        .setFrom(null).setTo("+15550100300").setEdgeNode("edge-7f9c").build(),
                CallAnswered.newBuilder().setAnsweredBy(null).build(),
                UserSpeechStarted.newBuilder().setAudioOffsetMs(4_380).setTurn(1).build(),
                TranscriptChunk.newBuilder().setText("naïve \"quote\"\n\ttab \\ 🙂 \u2028").setIsFinal(true)
                        .setConfidence(0.93f).setAudioStartMs(4_200).setAudioEndMs(5_900).setTurn(2)
                        .setEngine("deepgram").build(),
                AgentUtterance.newBuilder().setUtteranceId("utt-3").setText("Sure.").setInterrupted(true)
                        .setHeardText(null).setTurn(1).build(),
                BargeIn.newBuilder().setUtteranceId(null).setAudioOffsetMs(7_010).setReactionMs(38).build(),
                ToolCallRequested.newBuilder().setToolCallId("call_8Jd2").setName("book")
                        .setArgumentsJson("{\"day\":\"tomorrow\"}").build(),
                ToolCallCompleted.newBuilder().setToolCallId("call_8Jd2").setName("book").setSuccess(false)
                        .setResultJson(null).setError("timeout").setDurationMs(Long.MAX_VALUE).build(),
                DtmfReceived.newBuilder().setDigits("1#").setDurationMs(null).build(),
                TurnMetrics.newBuilder().setTurn(2).setAsrFinalMs(180L).setLlmFirstTokenMs(null)
                        .setTtsFirstByteMs(140L).setVoiceToVoiceMs(690L).build(),
                RecordingAvailable.newBuilder().setUri("s3://rec/c-42.wav").setContentType("audio/wav")
                        .setDurationMs(61_500).build(),
                CallEnded.newBuilder().setReason(EndReason.CALLER_HANGUP).setDetail(null).setDurationMs(83_000)
                        .build(),
                SlotReclaimed.newBuilder().setLastHeartbeatAt(AT.minusSeconds(610))
                        .setLeaseExpiredAt(AT.minusSeconds(10)).setCounters(COUNTERS).build(),
                MachineDetected.newBuilder().setMethod("beep").setDetail(null).setAfterMs(6_240)
                        .setAction("leave_message").build(),
                VoicemailLeft.newBuilder().setMessage("Please call us back.").setBeepHeard(false).build(),
                CallAnalyzed.newBuilder().setGeneration(2).setSummary("Booked.").setStructuredDataJson(null)
                        .setSuccess(null).setSuccessReason(null).setEngine("offline").setAttempts(1).build(),
                CallAnalysisFailed.newBuilder().setGeneration(1).setError("model answered HTTP 500").setAttempts(5)
                        .build());
    }

    private static CallEvent event(Object payload) {
        return CallEvent.newBuilder().setEventId("9b0c").setCallId("c-42").setTenantId("t-1").setCampaignId(null)
                .setAgentId("agent-1").setOccurredAt(AT).setSource(EventSource.REALTIME_EDGE).setPayload(payload)
                .build();
    }

    @Test
    void theExamplesCoverEveryPayloadTypeOfTheCallEventSchema() {
        Set<String> branches = CallEvent.getClassSchema().getField("payload").schema().getTypes().stream()
                .filter(type -> type.getType() == Schema.Type.RECORD).map(Schema::getFullName)
                .collect(Collectors.toSet());

        Set<String> covered = everyPayload().stream().map(payload -> payload.getClass().getName())
                .collect(Collectors.toSet());

        assertThat(covered).isEqualTo(branches);
    }

    @Test
    void aWebhooksDataRendersEveryEventExactlyAsTheRestApiRendersItsTimelineEntry() {
        for (Object payload : everyPayload()) {
            // given an event
            CallEvent event = event(payload);
            String type = EventTypes.of(event).orElse("internal." + payload.getClass().getSimpleName());

            // when the webhook body and the REST rendering are made
            Map<String, Object> body = parse(payloads.body(event, type));
            Map<String, Object> rest = new LinkedHashMap<>(asMap(AvroJson.tree(event).get("payload")));
            rest.remove("type");

            // then the webhook's data, without the call's ids, is the REST payload, field for field and in order
            Map<String, Object> data = new LinkedHashMap<>(asMap(body.get("data")));
            assertThat(data.keySet()).as(type).startsWith(ENVELOPE_FIELDS.toArray(String[]::new));
            ENVELOPE_FIELDS.forEach(data::remove);
            assertThat(data).as(type).containsExactlyEntriesOf(parse(AvroJson.write(rest)));
        }
    }

    @Test
    void aBodyIsTheDocumentedEnvelopeInCompactJson() {
        CallEvent ended = event(CallEnded.newBuilder().setReason(EndReason.CALLER_HANGUP).setDetail(null)
                .setDurationMs(83_000).build());

        String body = payloads.body(ended, "call.ended");

        assertThat(body).isEqualTo("{\"type\":\"call.ended\",\"version\":1,\"timestamp\":\"2026-01-01T10:00:03.250Z\","
                + "\"data\":{\"eventId\":\"9b0c\",\"callId\":\"c-42\",\"tenantId\":\"t-1\",\"campaignId\":null,"
                + "\"agentId\":\"agent-1\",\"reason\":\"CALLER_HANGUP\",\"detail\":null,\"durationMs\":83000}}");
    }

    @Test
    void floatsMapsAndTextRenderAsDocumentedAndTheSameEventAlwaysGivesTheSameBytes() {
        CallEvent transcript = event(TranscriptChunk.newBuilder().setText("I'd like a \"table\"\n").setIsFinal(true)
                .setConfidence(0.93f).setAudioStartMs(4_200).setAudioEndMs(5_900).setTurn(2).setEngine("deepgram")
                .build());
        CallEvent requested = event(CallRequested.newBuilder().setDirection(CallDirection.OUTBOUND)
                .setTransport(Transport.TWILIO).setFrom("+1").setTo("+2").setMetadata(Map.of("b", "2", "a", "1"))
                .build());

        String first = payloads.body(transcript, "transcript.final");

        assertThat(first).endsWith("\"text\":\"I'd like a \\\"table\\\"\\n\",\"isFinal\":true,\"confidence\":0.93,"
                + "\"audioStartMs\":4200,\"audioEndMs\":5900,\"turn\":2,\"engine\":\"deepgram\"}}");
        assertThat(payloads.body(transcript, "transcript.final")).isEqualTo(first);
        assertThat(payloads.body(requested, "call.requested")).endsWith(
                "\"direction\":\"OUTBOUND\",\"transport\":\"TWILIO\",\"from\":\"+1\",\"to\":\"+2\","
                        + "\"metadata\":{\"a\":\"1\",\"b\":\"2\"}}}");
    }

    @Test
    void aBodyOverTwentyKilobytesIsSentAsAThinEventLinkingToTheTimeline() {
        CallEvent large = event(ToolCallCompleted.newBuilder().setToolCallId("t").setName("search").setSuccess(true)
                .setResultJson("x".repeat(WebhookPayloads.MAX_BODY_BYTES)).setError(null).setDurationMs(5).build());

        String body = payloads.body(large, "tool_call.completed");

        assertThat(body).isEqualTo("{\"type\":\"tool_call.completed\",\"version\":1,"
                + "\"timestamp\":\"2026-01-01T10:00:03.250Z\",\"data\":{\"eventId\":\"9b0c\",\"callId\":\"c-42\","
                + "\"tenantId\":\"t-1\",\"campaignId\":null,\"agentId\":\"agent-1\",\"truncated\":true,"
                + "\"href\":\"https://api.example.com/v1/calls/c-42/timeline\"}}");
    }

    private static Map<String, Object> parse(String json) {
        return asMap(JSON.readValue(json, LinkedHashMap.class));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }
}
