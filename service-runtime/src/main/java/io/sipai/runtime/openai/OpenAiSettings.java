package io.sipai.runtime.openai;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Any OpenAI-compatible Chat Completions endpoint: realtime-edge's agent brains and api-gateway's post-call
 * analysis use it.
 *
 * @param apiKey    {@code OPENAI_API_KEY}; without it agents asking for openai get the scripted brain and the
 *                  offline post-call analysis
 * @param baseUrl   {@code OPENAI_BASE_URL}: API base including /v1 (default https://api.openai.com/v1)
 * @param model     {@code OPENAI_MODEL}: model when the agent names none (default gpt-4o-mini)
 */
@ConfigurationProperties("openai")
public record OpenAiSettings(String apiKey, String baseUrl, String model) {

    public OpenAiSettings {
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        baseUrl = baseUrl == null || baseUrl.isBlank() ? "https://api.openai.com/v1" : baseUrl.replaceAll("/+$", "");
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            throw new InvalidSettingException("OPENAI_BASE_URL", "must be an http:// or https:// URL, was " + baseUrl);
        }
        model = model == null || model.isBlank() ? "gpt-4o-mini" : model;
    }

    /** Whether a key or a self-hosted endpoint (which may need no key) is configured. */
    public boolean configured() {
        return apiKey != null || !"https://api.openai.com/v1".equals(baseUrl);
    }
}
