package io.sipai.edge.auth;

import java.util.Arrays;
import java.util.List;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Credentials and policies of the realtime endpoints (prefix {@code realtime}).
 *
 * @param apiKey         {@code REALTIME_API_KEY}: comma-separated API keys for {@code /realtime/voice}, each either
 *                       {@code key} (tenant {@code default}) or {@code tenantId:key}; the tenants' keys made through
 *                       {@code POST /v1/api-keys} with the write scope are accepted besides
 * @param wsSecret       {@code REALTIME_WS_SECRET}: HMAC secret of signed {@code /realtime/voice} URLs (optional)
 * @param wsUrl          {@code REALTIME_WS_URL}: public base URL of this service as clients dial it, e.g.
 *                       {@code wss://edge.example.com}; used to rebuild the URL Twilio signed (optional)
 * @param allowedOrigins {@code REALTIME_ALLOWED_ORIGINS}: comma-separated browser Origins allowed on
 *                       {@code /realtime/voice} besides the edge's own ({@link AllowedOrigins}: exact, or
 *                       {@code scheme://host:*} for any port, or {@code *} for all); unset allows only the edge's
 *                       own origin and clients that send no Origin
 */
@ConfigurationProperties("realtime")
public record AuthSettings(String apiKey, String wsSecret, String wsUrl, String allowedOrigins) {

    public AuthSettings {
        if (apiKey != null && !apiKey.isBlank()) {
            for (String entry : apiKey.split(",")) {
                String key = entry.contains(":") ? entry.substring(entry.indexOf(':') + 1) : entry;
                if (key.strip().length() < 8) {
                    throw new InvalidSettingException("REALTIME_API_KEY",
                            "every key must have at least 8 characters (entries are key or tenantId:key)");
                }
            }
        }
        if (wsSecret != null && !wsSecret.isBlank() && wsSecret.length() < 16) {
            throw new InvalidSettingException("REALTIME_WS_SECRET", "must have at least 16 characters");
        }
        if (wsUrl != null && !wsUrl.isBlank() && !wsUrl.matches("wss?://[^/?#]+(/.*)?")) {
            throw new InvalidSettingException("REALTIME_WS_URL", "must be a ws:// or wss:// URL");
        }
    }

    /** The configured origins; empty when only the edge's own origin is allowed. */
    public List<String> origins() {
        if (allowedOrigins == null || allowedOrigins.isBlank()) {
            return List.of();
        }
        return Arrays.stream(allowedOrigins.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
