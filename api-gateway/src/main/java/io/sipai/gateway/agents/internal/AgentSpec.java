package io.sipai.gateway.agents.internal;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sipai.gateway.agents.CallFeatures;
import tools.jackson.databind.JsonNode;

/**
 * An agent as clients write it (POST and PUT /v1/agents). Optional parts fall back to the offline defaults.
 * Unknown fields and wrongly typed values are refused with 400; unacceptable values with 422 naming the field.
 */
public record AgentSpec(String name, String greeting, String systemPrompt, String language, String voice,
                        Provider asr, Provider llm, Provider tts, List<Tool> tools, BargeIn bargeIn,
                        Endpointing endpointing, Integer silencePromptMs, Integer silenceHangupMs,
                        Integer maxDurationSec, String script, CallFeatures.Recording recording,
                        Analysis analysis, CallFeatures.Voicemail voicemail) {

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

    public record BargeIn(Boolean enabled, Integer minSpeechMs, Integer backchannelMs) {
    }

    public record Endpointing(Integer silenceMs, Float vadThresholdDb, Integer pauseMs) {
    }

    /**
     * Post-call analysis, made when a call ends: a summary (with extra instructions), the data a JSON Schema object
     * asks for, and whether the call met the success criteria. Absent, calls are not analyzed.
     */
    public record Analysis(String summaryPrompt, JsonNode structuredData, String successCriteria) {
    }
}
