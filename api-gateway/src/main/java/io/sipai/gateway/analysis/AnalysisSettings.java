package io.sipai.gateway.analysis;

import static io.sipai.runtime.InvalidSettingException.inRange;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The post-call analysis worker (prefix {@code analysis}).
 *
 * @param maxAttempts    {@code ANALYSIS_MAX_ATTEMPTS}: attempts of one analysis (model errors, timeouts, malformed
 *                       answers) before it is written as CallAnalysisFailed (default 5)
 * @param retryBaseMs    {@code ANALYSIS_RETRY_BASE_MS}: wait before the second attempt, doubled for each later one up
 *                       to 5 minutes (default 2000)
 * @param concurrency    {@code ANALYSIS_CONCURRENCY}: analyses one gateway instance makes at once (default 4)
 * @param timeoutMs      {@code ANALYSIS_TIMEOUT_MS}: how long one model request may take (default 30000)
 * @param pollIntervalMs {@code ANALYSIS_POLL_INTERVAL_MS}: how often due analyses are looked for (default 500)
 */
@ConfigurationProperties("analysis")
public record AnalysisSettings(Integer maxAttempts, Integer retryBaseMs, Integer concurrency, Integer timeoutMs,
                               Integer pollIntervalMs) {

    public AnalysisSettings {
        maxAttempts = inRange("ANALYSIS_MAX_ATTEMPTS", maxAttempts, 5, 1, 100);
        retryBaseMs = inRange("ANALYSIS_RETRY_BASE_MS", retryBaseMs, 2000, 10, 600_000);
        concurrency = inRange("ANALYSIS_CONCURRENCY", concurrency, 4, 1, 256);
        timeoutMs = inRange("ANALYSIS_TIMEOUT_MS", timeoutMs, 30_000, 100, 600_000);
        pollIntervalMs = inRange("ANALYSIS_POLL_INTERVAL_MS", pollIntervalMs, 500, 10, 60_000);
    }
}
