package io.sipai.edge.pipeline;

import java.net.http.HttpClient;
import java.time.Duration;

import io.sipai.edge.asr.DeepgramSpeechToText;
import io.sipai.edge.asr.SphinxEngine;
import io.sipai.edge.brain.OpenAiBrain;
import io.sipai.edge.tts.DeepgramTextToSpeech;
import io.sipai.edge.tts.MaryEngine;

/** Builds {@link Providers} with the online clients whose keys are configured. */
final class OnlineProviders {

    private OnlineProviders() {
    }

    static Providers providers(SphinxEngine sphinx, MaryEngine mary, DeepgramSettings deepgram,
                               OpenAiSettings openAi, VoiceSettings voice, HttpClient http) {
        OpenAiBrain brain = openAi.configured() ? new OpenAiBrain(http, openAi.baseUrl(), openAi.apiKey(),
                openAi.model(), Duration.ofMillis(voice.brainTimeoutMs())) : null;
        Duration connect = Duration.ofMillis(deepgram.connectTimeoutMs());
        return new Providers(sphinx, mary,
                deepgram.configured() ? agent -> new DeepgramSpeechToText(http, deepgram.baseUrl(),
                        deepgram.apiKey(), agent != null && agent.getAsr().getModel() != null
                        ? agent.getAsr().getModel() : deepgram.model(), agent == null ? 700
                        : agent.getEndpointing().getSilenceMs(), connect) : null,
                brain == null ? null : agent -> brain,
                deepgram.configured() ? new DeepgramTextToSpeech(http, deepgram.baseUrl(), deepgram.apiKey(),
                        deepgram.ttsModel(), connect) : null);
    }
}
