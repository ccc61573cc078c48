package io.sipai.gateway.agents.internal;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * An agent as clients write it (POST and PUT /v1/agents). Optional parts fall back to the offline defaults.
 * Unknown fields and wrongly typed values are refused with 400; unacceptable values with 422 naming the field.
 */
public record AgentSpec(String name, String greeting, String systemPrompt, String language, String voice,
                        Provider asr, Provider llm, Provider tts, List<Tool> tools, BargeIn bargeIn,
                        Endpointing endpointing, Integer silencePromptMs, Integer silenceHangupMs,
                        Integer maxDurationSec, String script, Recording recording, Analysis analysis,
                        Voicemail voicemail) {

    /** Which provider runs a stage; {@code offline} picks the offline default. */
    public record Provider(String provider, String model, Map<String, String> options) {
    }

    /** How a tool runs: an HTTPS endpoint, or a built-in. */
    public enum ToolType {
        @JsonProperty("http") HTTP,
        @JsonProperty("end_call") END_CALL,
        @JsonProperty("transfer_call") TRANSFER_CALL,
        @JsonProperty("send_dtmf") SEND_DTMF
    }

    /** A tool the agent may call; {@code parameters} is a JSON Schema object. */
    public record Tool(String name, String description, JsonNode parameters, ToolType type, String url,
                       Integer timeoutMs) {
    }

    public record BargeIn(Boolean enabled, Integer minSpeechMs) {
    }

    public record Endpointing(Integer silenceMs, Float vadThresholdDb) {
    }

    /**
     * Post-call analysis, made when a call ends: a summary (with extra instructions), the data a JSON Schema object
     * asks for, and whether the call met the success criteria. Absent, calls are not analyzed.
     */
    public record Analysis(String summaryPrompt, JsonNode structuredData, String successCriteria) {
    }

    /** Answering machine detection on outbound calls: off unless detect; hang up by default. */
    public record Voicemail(Boolean detect, VoicemailAction action, String message) {
    }

    /** {@code hangup}: end the call; {@code leave_message}: say the message after the beep, then end the call. */
    public enum VoicemailAction {
        @JsonProperty("hangup") HANGUP,
        @JsonProperty("leave_message") LEAVE_MESSAGE
    }

    /** Call recording: off unless enabled; dual-channel WAV by default. */
    public record Recording(Boolean enabled, Channels channels, Format format) {
    }

    /** {@code dual}: caller left, agent right; {@code mixed}: one channel. */
    public enum Channels {
        @JsonProperty("dual") DUAL,
        @JsonProperty("mixed") MIXED
    }

    /** {@code wav}: 16-bit PCM, 16 kHz. */
    public enum Format {
        @JsonProperty("wav") WAV
    }
}
