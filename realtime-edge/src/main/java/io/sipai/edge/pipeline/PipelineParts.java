package io.sipai.edge.pipeline;

import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.config.AgentConfig;
import io.sipai.config.BargeInSettings;
import io.sipai.config.VoicemailSettings;
import io.sipai.edge.asr.SpeechToText;
import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.endpointing.BargeInRule;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.tools.ToolRunner;
import io.sipai.edge.tts.TextToSpeech;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything one call's pipeline is made of: the providers chosen for its agent, the tools, the shared timers, and
 * the agent's conversation settings (with defaults when the call has no agent), and the registry its engine meters
 * go to (the service's global one; a private one for the synthetic calls of the warm-up).
 */
public record PipelineParts(CallContext context, SpeechToText stt, AgentBrain brain, TextToSpeech tts,
                            ToolRunner tools, ScheduledExecutorService timers, VoiceSettings settings,
                            int vadStartMs, int defaultSilenceMs, int defaultPauseMs, int defaultBackchannelMs,
                            MeterRegistry meters) {

    /** The backchannel window of an agent's calls by default, and of calls without an agent. */
    public static final int BACKCHANNEL_MS = BargeInSettings.newBuilder().build().getBackchannelMs();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AgentConfig agent() {
        return context.agent();
    }

    String voice() {
        return agent() == null ? null : agent().getVoice();
    }

    boolean bargeInEnabled() {
        return agent() == null || agent().getBargeIn().getEnabled();
    }

    int bargeInMinMs() {
        return agent() == null ? 200 : agent().getBargeIn().getMinSpeechMs();
    }

    int silenceMs() {
        return agent() == null ? defaultSilenceMs : agent().getEndpointing().getSilenceMs();
    }

    /** The short silence that ends a finished-sounding turn; 0 when every turn waits for {@link #silenceMs()}. */
    int pauseMs() {
        int pause = agent() == null ? defaultPauseMs : agent().getEndpointing().getPauseMs();
        return pause < silenceMs() ? pause : 0;
    }

    /** When caller speech interrupts a reply: the agent's minimum speech and backchannel window. */
    BargeInRule bargeInRule() {
        int backchannel = agent() == null ? defaultBackchannelMs : agent().getBargeIn().getBackchannelMs();
        return new BargeInRule(bargeInMinMs(), backchannel);
    }

    int silencePromptMs() {
        return agent() == null ? 8000 : agent().getSilencePromptMs();
    }

    int silenceHangupMs() {
        return agent() == null ? 8000 : agent().getSilenceHangupMs();
    }

    /** The agent's voicemail detection, or null when it asks for none. */
    VoicemailSettings voicemail() {
        return agent() == null || agent().getVoicemail() == null || !agent().getVoicemail().getDetect() ? null
                : agent().getVoicemail();
    }

    int maxDurationSec() {
        return agent() == null ? 3600 : agent().getMaxDurationSec();
    }

    /** A small JSON object as text. */
    static String json(java.util.Map<String, ?> fields) {
        return JSON.writeValueAsString(fields);
    }

    /** A string field of a tool's JSON arguments, or null. */
    static String argument(String json, String field) {
        try {
            JsonNode node = JSON.readTree(json == null ? "{}" : json);
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? null : value.asString();
        } catch (JacksonException e) {
            return null;
        }
    }
}
