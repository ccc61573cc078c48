package io.sipai.dispatcher;

import java.time.Duration;
import java.util.List;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the webhook dispatcher (prefix {@code webhook}, environment variables {@code WEBHOOK_*}).
 *
 * @param allowedHosts              {@code WEBHOOK_ALLOWED_HOSTS}: hosts ({@code host} or {@code host:port}) the
 *                                  SSRF guard lets through although they are internal; for development and tests
 *                                  only (default none)
 * @param connectTimeout            {@code WEBHOOK_CONNECT_TIMEOUT}: TCP/TLS connect timeout (default 5s)
 * @param requestTimeout            {@code WEBHOOK_REQUEST_TIMEOUT}: whole-request timeout (default 15s)
 * @param maxConcurrencyPerEndpoint {@code WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT}: open requests per subscription
 *                                  (default 8)
 * @param applicationId             {@code WEBHOOK_APPLICATION_ID}: Kafka Streams application id (default
 *                                  webhook-dispatcher)
 * @param tick                      {@code WEBHOOK_TICK}: how often retry timers are checked (default 100ms)
 * @param apiBaseUrl                {@code WEBHOOK_API_BASE_URL}: public API base URL for thin events' links
 *                                  (default http://localhost:8080)
 * @param stateDir                  {@code WEBHOOK_STATE_DIR}: Kafka Streams state directory (default: a new
 *                                  temporary directory; state is rebuilt from changelogs)
 * @param streamThreads             {@code WEBHOOK_STREAM_THREADS}: Kafka Streams threads (default 1)
 */
@ConfigurationProperties("webhook")
public record DispatcherSettings(List<String> allowedHosts, Duration connectTimeout, Duration requestTimeout,
                                 Integer maxConcurrencyPerEndpoint, String applicationId, Duration tick,
                                 String apiBaseUrl, String stateDir, Integer streamThreads) {

    public DispatcherSettings {
        allowedHosts = allowedHosts == null ? List.of() : allowedHosts.stream().map(String::strip)
                .filter(host -> !host.isEmpty()).toList();
        for (String host : allowedHosts) {
            if (!host.matches("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?")) {
                throw new InvalidSettingException("WEBHOOK_ALLOWED_HOSTS", "'" + host
                        + "' is not host, host:port or [ipv6]:port");
            }
        }
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(5), "WEBHOOK_CONNECT_TIMEOUT");
        requestTimeout = positive(requestTimeout, Duration.ofSeconds(15), "WEBHOOK_REQUEST_TIMEOUT");
        tick = positive(tick, Duration.ofMillis(100), "WEBHOOK_TICK");
        maxConcurrencyPerEndpoint = maxConcurrencyPerEndpoint == null ? 8 : maxConcurrencyPerEndpoint;
        if (maxConcurrencyPerEndpoint < 1 || maxConcurrencyPerEndpoint > 1_000) {
            throw new InvalidSettingException("WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT",
                    "must be between 1 and 1000, was " + maxConcurrencyPerEndpoint);
        }
        streamThreads = streamThreads == null ? 1 : streamThreads;
        if (streamThreads < 1 || streamThreads > 32) {
            throw new InvalidSettingException("WEBHOOK_STREAM_THREADS", "must be between 1 and 32, was "
                    + streamThreads);
        }
        applicationId = applicationId == null || applicationId.isBlank() ? "webhook-dispatcher" : applicationId;
        if (!applicationId.matches("[A-Za-z0-9._\\-]+")) {
            throw new InvalidSettingException("WEBHOOK_APPLICATION_ID", "'" + applicationId
                    + "' may only contain letters, digits, '.', '_' and '-'");
        }
        apiBaseUrl = apiBaseUrl == null || apiBaseUrl.isBlank() ? "http://localhost:8080" : apiBaseUrl.strip();
        if (!apiBaseUrl.matches("https?://\\S+")) {
            throw new InvalidSettingException("WEBHOOK_API_BASE_URL", "'" + apiBaseUrl + "' is not an http(s) URL");
        }
    }

    /** Time after which an attempt whose result never came back is sent again. */
    public Duration inFlightTimeout() {
        return connectTimeout.plus(requestTimeout).plusSeconds(10);
    }

    private static Duration positive(Duration value, Duration fallback, String variable) {
        Duration result = value == null ? fallback : value;
        if (result.isNegative() || result.isZero()) {
            throw new InvalidSettingException(variable, "must be positive, was " + result);
        }
        return result;
    }
}
