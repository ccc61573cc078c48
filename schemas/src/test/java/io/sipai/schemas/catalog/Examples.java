package io.sipai.schemas.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
import io.sipai.events.VoicemailLeft;
import io.sipai.events.UserSpeechStarted;

/** One realistic example of every call event type, with who emits it: the source of docs/events.md. */
final class Examples {

    /** An event type, the component that emits it, and an example. */
    record Example(String emittedBy, EventSource source, Object payload) {
    }

    static final Instant AT = Instant.parse("2026-11-22T10:15:30.250Z");
    private static final AdmissionCounters COUNTERS = AdmissionCounters.newBuilder().setGlobalActive(42)
            .setGlobalLimit(10_000).setTenantActive(7).setTenantLimit(200).setCampaignActive(3).setCampaignLimit(100)
            .build();

    static final List<Example> CALL_EVENTS = List.of(
            new Example("api-gateway (outbound `POST /v1/calls`, inbound jambonz/Twilio webhook); realtime-edge "
                    + "(`start` on `/realtime/voice`)", EventSource.API_GATEWAY,
                    CallRequested.newBuilder().setDirection(CallDirection.OUTBOUND).setTransport(Transport.JAMBONZ)
                            .setFrom("+15550100200").setTo("+15550100300").setMetadata(Map.of("crmId", "A-1029"))
                            .build()),
            new Example("stream-processors (admission)", EventSource.STREAM_PROCESSORS,
                    CallAdmitted.newBuilder().setCounters(COUNTERS).setLeaseExpiresAt(AT.plusSeconds(600)).build()),
            new Example("stream-processors (admission)", EventSource.STREAM_PROCESSORS,
                    CallRejected.newBuilder().setLimit(AdmissionLimit.TENANT)
                            .setDetail("tenant limit 200 reached (200 active)").setCounters(COUNTERS).build()),
            new Example("realtime-edge", EventSource.REALTIME_EDGE,
                    CallStarted.newBuilder().setDirection(CallDirection.INBOUND).setTransport(Transport.TWILIO)
                            .setFrom("+15550100200").setTo("+15550100300").setEdgeNode("edge-7f9c").build()),
            new Example("api-gateway (outbound calls: provider status `in-progress`); realtime-edge (inbound "
                    + "calls: the agent picked up, right after CallStarted)",
                    EventSource.JAMBONZ, CallAnswered.newBuilder().setAnsweredBy("human").build()),
            new Example("realtime-edge (voice activity detection)", EventSource.REALTIME_EDGE,
                    UserSpeechStarted.newBuilder().setAudioOffsetMs(4_380).setTurn(1).build()),
            new Example("realtime-edge (speech-to-text)", EventSource.REALTIME_EDGE,
                    TranscriptChunk.newBuilder().setText("I would like to book an appointment").setIsFinal(true)
                            .setConfidence(0.93f).setAudioStartMs(4_380).setAudioEndMs(6_120).setTurn(1)
                            .setEngine("deepgram").build()),
            new Example("realtime-edge (text-to-speech playback)", EventSource.REALTIME_EDGE,
                    AgentUtterance.newBuilder().setUtteranceId("utt-3").setText("Sure. Which day suits you best?")
                            .setInterrupted(true).setHeardText("Sure.").setTurn(1).build()),
            new Example("realtime-edge (barge-in)", EventSource.REALTIME_EDGE,
                    BargeIn.newBuilder().setUtteranceId("utt-3").setAudioOffsetMs(7_010).setReactionMs(38).build()),
            new Example("realtime-edge (agent brain)", EventSource.REALTIME_EDGE,
                    ToolCallRequested.newBuilder().setToolCallId("call_8Jd2").setName("book_appointment")
                            .setArgumentsJson("{\"day\":\"tomorrow\",\"time\":\"10:00\"}").build()),
            new Example("realtime-edge (tool runner)", EventSource.REALTIME_EDGE,
                    ToolCallCompleted.newBuilder().setToolCallId("call_8Jd2").setName("book_appointment")
                            .setSuccess(true).setResultJson("{\"confirmation\":\"BK-2291\"}").setDurationMs(212)
                            .build()),
            new Example("realtime-edge (Twilio/jambonz DTMF, `dtmf` message)", EventSource.REALTIME_EDGE,
                    DtmfReceived.newBuilder().setDigits("1").setDurationMs(160).build()),
            new Example("realtime-edge (end of each turn)", EventSource.REALTIME_EDGE,
                    TurnMetrics.newBuilder().setTurn(1).setAsrFinalMs(180L).setLlmFirstTokenMs(320L)
                            .setTtsFirstByteMs(95L).setVoiceToVoiceMs(640L).build()),
            new Example("realtime-edge (recording stored)", EventSource.REALTIME_EDGE,
                    RecordingAvailable.newBuilder().setUri("file:///var/lib/sipai/recordings/t-1/c-1.wav")
                            .setContentType("audio/wav").setDurationMs(61_500).build()),
            new Example("realtime-edge (session ended, or given up during admission); api-gateway (provider status "
                    + "callback, API hangup of a call with no provider, a call given up during admission); "
                    + "stream-processors (admission: `EDGE_LOST`, `SLOT_EXPIRED`). The first CallEnded of a call ends "
                    + "its timeline; a later one, from any source, is quarantined `AFTER_END` (see the one-end rule "
                    + "above)",
                    EventSource.REALTIME_EDGE,
                    CallEnded.newBuilder().setReason(EndReason.CALLER_HANGUP).setDurationMs(61_500).build()),
            new Example("stream-processors (admission TTL punctuator, with the CallEnded `SLOT_EXPIRED` that ends the "
                    + "call right after it in the same transaction)", EventSource.STREAM_PROCESSORS,
                    SlotReclaimed.newBuilder().setLastHeartbeatAt(AT.minusSeconds(610))
                            .setLeaseExpiredAt(AT.minusSeconds(10)).setCounters(COUNTERS).build()),
            new Example("realtime-edge (voicemail detection of an outbound call whose agent asks for it)",
                    EventSource.REALTIME_EDGE,
                    MachineDetected.newBuilder().setMethod("beep").setDetail("1000 Hz for 500 ms").setAfterMs(6_240)
                            .setAction("leave_message").build()),
            new Example("realtime-edge (the voicemail message played; CallEnded `VOICEMAIL` follows)",
                    EventSource.REALTIME_EDGE,
                    VoicemailLeft.newBuilder().setMessage("Hello, this is the clinic. Please call us back.")
                            .setBeepHeard(true).build()),
            new Example("api-gateway (analysis worker, once the call ended, and for each re-analysis asked for)",
                    EventSource.API_GATEWAY,
                    CallAnalyzed.newBuilder().setGeneration(1)
                            .setSummary("The caller booked an appointment for tomorrow at 10:00.")
                            .setStructuredDataJson("{\"day\":\"tomorrow\",\"time\":\"10:00\"}").setSuccess(true)
                            .setSuccessReason("an appointment was booked").setEngine("openai:gpt-4o-mini")
                            .setAttempts(1).build()),
            new Example("api-gateway (analysis worker, after ANALYSIS_MAX_ATTEMPTS failed attempts)",
                    EventSource.API_GATEWAY,
                    CallAnalysisFailed.newBuilder().setGeneration(1).setError("model answered HTTP 500")
                            .setAttempts(5).build()));

    private Examples() {
    }

    static CallEvent envelope(Example example) {
        return CallEvent.newBuilder().setEventId("0f8e6c52-8f2a-4d4e-9d59-2b1c3e4f5a6b").setCallId("c-1")
                .setTenantId("t-1").setCampaignId("camp-spring").setAgentId("agent-booking").setOccurredAt(AT)
                .setSource(example.source()).setPayload(example.payload()).build();
    }
}
