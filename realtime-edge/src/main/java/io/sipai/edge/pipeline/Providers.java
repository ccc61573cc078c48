package io.sipai.edge.pipeline;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.sipai.config.AgentConfig;
import io.sipai.edge.asr.SpeechToText;
import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.tts.OfflineVoices;
import io.sipai.edge.tts.TextToSpeech;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses each agent's speech-to-text, brain and text-to-speech from {@code AgentConfig.asr/llm/tts.provider}:
 * {@code deepgram}, {@code sphinx} or {@code offline}; {@code openai}, {@code scripted} or {@code offline};
 * {@code deepgram}, {@code flite}, {@code marytts} or {@code offline}. An online provider without its key (DEEPGRAM_API_KEY,
 * OPENAI_API_KEY / OPENAI_BASE_URL) falls back to the offline default with a warning, so a machine without keys
 * still runs every agent. The offline recognizer decodes against a grammar generated from the agent's script, or
 * free dictation (poor) when the agent has none.
 */
public final class Providers {

    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    private final Function<String, SpeechToText> offlineStt;
    private final OfflineVoices offlineTts;
    private final AgentBrain scripted;
    private final Function<AgentConfig, SpeechToText> deepgramStt;
    private final Function<AgentConfig, AgentBrain> openAi;
    private final TextToSpeech deepgramTts;
    private final Map<String, SpeechToText> grammars = new ConcurrentHashMap<>();

    /**
     * @param offlineStt  the offline recognizer for an agent's script (JSON), or for free dictation (null); made
     *                    once per script
     * @param offlineTts  the offline synthesizers: flite or MaryTTS for {@code offline}, each by its name
     * @param scripted    the brain that runs agents' scripts
     * @param deepgramStt Deepgram recognizer for an agent, or null when no key is configured
     * @param openAi      OpenAI-compatible brain for an agent, or null when not configured
     * @param deepgramTts Deepgram Aura, or null when no key is configured
     */
    public Providers(Function<String, SpeechToText> offlineStt, OfflineVoices offlineTts, AgentBrain scripted,
                     Function<AgentConfig, SpeechToText> deepgramStt, Function<AgentConfig, AgentBrain> openAi,
                     TextToSpeech deepgramTts) {
        this.offlineStt = offlineStt;
        this.offlineTts = offlineTts;
        this.scripted = scripted;
        this.deepgramStt = deepgramStt;
        this.openAi = openAi;
        this.deepgramTts = deepgramTts;
    }

    /** The brain of an agent (null agent: OpenAI when configured, else none). */
    public AgentBrain brain(AgentConfig agent) {
        String provider = provider(agent == null ? null : agent.getLlm().getProvider());
        if (("openai".equals(provider) || agent == null || agent.getScriptJson() == null) && openAi != null) {
            return openAi.apply(agent);
        }
        if ("openai".equals(provider)) {
            LOG.warn("agent {} asks for openai but OPENAI_API_KEY/OPENAI_BASE_URL are not set: using its script",
                    agent.getAgentId());
        }
        if (agent == null || agent.getScriptJson() == null) {
            return null;
        }
        return scripted;
    }

    /** The recognizer of an agent. */
    public SpeechToText speechToText(AgentConfig agent) {
        String provider = provider(agent == null ? null : agent.getAsr().getProvider());
        if ("deepgram".equals(provider)) {
            if (deepgramStt != null) {
                return deepgramStt.apply(agent);
            }
            LOG.warn("agent {} asks for deepgram speech-to-text but DEEPGRAM_API_KEY is not set: using sphinx",
                    agent.getAgentId());
        }
        String script = agent == null ? null : agent.getScriptJson();
        if (script == null) {
            return grammars.computeIfAbsent("", k -> offlineStt.apply(null));
        }
        return grammars.computeIfAbsent(script, offlineStt);
    }

    /** The synthesizer of an agent. */
    public TextToSpeech textToSpeech(AgentConfig agent) {
        String provider = provider(agent == null ? null : agent.getTts().getProvider());
        if ("deepgram".equals(provider)) {
            if (deepgramTts != null) {
                return deepgramTts;
            }
            LOG.warn("agent {} asks for deepgram text-to-speech but DEEPGRAM_API_KEY is not set: using {}",
                    agent.getAgentId(), offlineTts.offline().name());
        }
        if ("marytts".equals(provider)) {
            return offlineTts.mary();
        }
        if ("flite".equals(provider)) {
            return offlineTts.flite().orElseGet(() -> {
                LOG.warn("agent {} asks for flite text-to-speech but flite is not installed: using {}",
                        agent.getAgentId(), offlineTts.offline().name());
                return offlineTts.offline();
            });
        }
        return offlineTts.offline();
    }

    private static String provider(String name) {
        return name == null ? "offline" : name.strip().toLowerCase(Locale.ROOT);
    }
}
