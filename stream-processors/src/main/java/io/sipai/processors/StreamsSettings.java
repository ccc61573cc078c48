package io.sipai.processors;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the stream-processors service runs its Kafka Streams applications.
 *
 * @param applicationIdPrefix        {@code PROCESSORS_APPLICATION_ID_PREFIX}: prefix of the application ids
 *                                   ({@code <prefix>-admission}, {@code <prefix>-timeline}); default {@code sipai}
 * @param dataDir                    {@code SIPAI_DATA_DIR}: state lives in {@code <dataDir>/streams}; unset means a
 *                                   fresh temporary directory (state is then restored from changelogs)
 * @param admissionCommitIntervalMs  {@code PROCESSORS_ADMISSION_COMMIT_INTERVAL_MS}: transaction commit interval of
 *                                   the admission app; bounds decision latency (default 10)
 * @param timelineCommitIntervalMs   {@code PROCESSORS_TIMELINE_COMMIT_INTERVAL_MS}: commit interval of the timeline
 *                                   app; bounds event-to-timeline visibility (default 100)
 * @param timelineThreads            {@code PROCESSORS_TIMELINE_THREADS}: stream threads of the timeline app
 *                                   (default 1)
 */
@ConfigurationProperties("processors")
public record StreamsSettings(String applicationIdPrefix, String dataDir, Long admissionCommitIntervalMs,
                              Long timelineCommitIntervalMs, Integer timelineThreads) {

    public StreamsSettings {
        applicationIdPrefix = applicationIdPrefix == null || applicationIdPrefix.isBlank() ? "sipai"
                : applicationIdPrefix.strip();
        if (!applicationIdPrefix.matches("[A-Za-z0-9._-]+")) {
            throw new InvalidSettingException("PROCESSORS_APPLICATION_ID_PREFIX",
                    "may only hold letters, digits, '.', '_' and '-', was '" + applicationIdPrefix + "'");
        }
        admissionCommitIntervalMs = interval("PROCESSORS_ADMISSION_COMMIT_INTERVAL_MS", admissionCommitIntervalMs,
                10);
        timelineCommitIntervalMs = interval("PROCESSORS_TIMELINE_COMMIT_INTERVAL_MS", timelineCommitIntervalMs, 100);
        timelineThreads = timelineThreads == null ? 1 : timelineThreads;
        if (timelineThreads < 1 || timelineThreads > 64) {
            throw new InvalidSettingException("PROCESSORS_TIMELINE_THREADS", "must be between 1 and 64, was "
                    + timelineThreads);
        }
    }

    /** Application id of the admission app. */
    public String admissionApplicationId() {
        return applicationIdPrefix + "-admission";
    }

    /** Application id of the timeline app. */
    public String timelineApplicationId() {
        return applicationIdPrefix + "-timeline";
    }

    private static long interval(String variable, Long value, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > 60_000) {
            throw new InvalidSettingException(variable, "must be between 1 and 60000 ms, was " + value);
        }
        return value;
    }
}
