package io.sipai.edge.pipeline;

import static io.sipai.runtime.InvalidSettingException.inRange;

import java.net.URI;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Deepgram streaming speech-to-text and Aura text-to-speech.
 *
 * @param apiKey           {@code DEEPGRAM_API_KEY}; without it agents asking for deepgram get the offline engines
 * @param baseUrl          {@code DEEPGRAM_BASE_URL}: WebSocket base (default wss://api.deepgram.com)
 * @param model            {@code DEEPGRAM_MODEL}: speech-to-text model (default nova-3)
 * @param ttsModel         {@code DEEPGRAM_TTS_MODEL}: Aura voice model (default aura-2-thalia-en)
 * @param connectTimeoutMs {@code DEEPGRAM_CONNECT_TIMEOUT_MS}: WebSocket handshake timeout (default 5000)
 */
@ConfigurationProperties("deepgram")
public record DeepgramSettings(String apiKey, String baseUrl, String model, String ttsModel,
                               Integer connectTimeoutMs) {

    public DeepgramSettings {
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        baseUrl = baseUrl == null || baseUrl.isBlank() ? "wss://api.deepgram.com" : baseUrl.replaceAll("/+$", "");
        if (!baseUrl.startsWith("ws://") && !baseUrl.startsWith("wss://")) {
            throw new InvalidSettingException("DEEPGRAM_BASE_URL", "must be a ws:// or wss:// URL, was " + baseUrl);
        }
        URI.create(baseUrl);
        model = model == null || model.isBlank() ? "nova-3" : model;
        ttsModel = ttsModel == null || ttsModel.isBlank() ? "aura-2-thalia-en" : ttsModel;
        connectTimeoutMs = inRange("DEEPGRAM_CONNECT_TIMEOUT_MS", connectTimeoutMs, 5000, 100, 60_000);
    }

    public boolean configured() {
        return apiKey != null;
    }
}
