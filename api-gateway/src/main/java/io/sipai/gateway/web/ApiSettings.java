package io.sipai.gateway.web;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of the REST API.
 *
 * @param rateLimitPerSecond {@code API_RATE_LIMIT_PER_SECOND}: sustained requests per API key (default 100)
 * @param rateLimitBurst     {@code API_RATE_LIMIT_BURST}: requests a key may send at once (default 2 s worth)
 * @param maxBodyBytes       {@code API_MAX_BODY_BYTES}: largest accepted request body (default 65536)
 * @param admissionTimeoutMs {@code API_ADMISSION_TIMEOUT_MS}: how long to wait for an admission decision (3000)
 * @param rateLimitScope     {@code API_RATE_LIMIT_SCOPE}: {@code deployment} (default: each of N gateway instances
 *                           enforces 1/N of the limit) or {@code instance} (each enforces all of it, e.g. behind a
 *                           balancer that pins a key to one instance)
 */
@ConfigurationProperties("api")
public record ApiSettings(Integer rateLimitPerSecond, Integer rateLimitBurst, Integer maxBodyBytes,
                          Integer admissionTimeoutMs, String rateLimitScope) {

    public ApiSettings {
        rateLimitPerSecond = rateLimitPerSecond == null ? 100 : rateLimitPerSecond;
        if (rateLimitPerSecond < 1) {
            throw new InvalidSettingException("API_RATE_LIMIT_PER_SECOND", "must be positive");
        }
        rateLimitBurst = rateLimitBurst == null ? 2 * rateLimitPerSecond : rateLimitBurst;
        if (rateLimitBurst < 1) {
            throw new InvalidSettingException("API_RATE_LIMIT_BURST", "must be positive");
        }
        maxBodyBytes = maxBodyBytes == null ? 65_536 : maxBodyBytes;
        if (maxBodyBytes < 1_024 || maxBodyBytes > 16_777_216) {
            throw new InvalidSettingException("API_MAX_BODY_BYTES", "must be between 1024 and 16777216");
        }
        admissionTimeoutMs = admissionTimeoutMs == null ? 3_000 : admissionTimeoutMs;
        if (admissionTimeoutMs < 100 || admissionTimeoutMs > 60_000) {
            throw new InvalidSettingException("API_ADMISSION_TIMEOUT_MS", "must be between 100 and 60000");
        }
        rateLimitScope = rateLimitScope == null || rateLimitScope.isBlank() ? "deployment"
                : rateLimitScope.strip().toLowerCase(java.util.Locale.ROOT);
        if (!rateLimitScope.equals("deployment") && !rateLimitScope.equals("instance")) {
            throw new InvalidSettingException("API_RATE_LIMIT_SCOPE", "must be deployment or instance");
        }
    }

    /** Whether each instance enforces only its share of a key's limit. */
    public boolean rateLimitShared() {
        return rateLimitScope.equals("deployment");
    }
}
