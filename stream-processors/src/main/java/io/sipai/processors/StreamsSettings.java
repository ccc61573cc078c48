package io.sipai.processors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.sipai.processors.timeline.TimelineOptions;
import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the stream-processors service runs its Kafka Streams applications.
 *
 * @param applicationIdPrefix        {@code PROCESSORS_APPLICATION_ID_PREFIX}: prefix of the application ids
 *                                   ({@code <prefix>-admission}, {@code <prefix>-timeline}); default {@code sipai}
 * @param dataDir                    {@code SIPAI_DATA_DIR}: state lives in {@code <dataDir>/streams}; unset means a
 *                                   fresh temporary directory per application (state is then restored from
 *                                   changelogs)
 * @param admissionCommitIntervalMs  {@code PROCESSORS_ADMISSION_COMMIT_INTERVAL_MS}: transaction commit interval of
 *                                   the admission app; bounds decision latency (default 10)
 * @param timelineCommitIntervalMs   {@code PROCESSORS_TIMELINE_COMMIT_INTERVAL_MS}: commit interval of the timeline
 *                                   app; bounds event-to-timeline visibility (default 100)
 * @param timelineThreads            {@code PROCESSORS_TIMELINE_THREADS}: stream threads of the timeline app
 *                                   (default 1)
 * @param timelineRetention          {@code PROCESSORS_TIMELINE_RETENTION}: how long an ended call stays in the
 *                                   timeline stores, so late events are still recognised as AFTER_END (default 24h)
 * @param timelineDedupeRetention    {@code PROCESSORS_TIMELINE_DEDUPE_RETENTION}: how long an ended call's eventIds
 *                                   are kept for dedupe (default 1h, at most the retention)
 */
@ConfigurationProperties("processors")
public record StreamsSettings(String applicationIdPrefix, String dataDir, Long admissionCommitIntervalMs,
                              Long timelineCommitIntervalMs, Integer timelineThreads, Duration timelineRetention,
                              Duration timelineDedupeRetention) {

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
        TimelineOptions defaults = TimelineOptions.defaults();
        timelineRetention = timelineRetention == null ? defaults.retention() : timelineRetention;
        timelineDedupeRetention = timelineDedupeRetention == null ? defaults.dedupeRetention()
                : timelineDedupeRetention;
        if (timelineRetention.isNegative() || timelineRetention.isZero()) {
            throw new InvalidSettingException("PROCESSORS_TIMELINE_RETENTION", "must be positive, was "
                    + timelineRetention);
        }
        if (timelineDedupeRetention.isNegative() || timelineDedupeRetention.compareTo(timelineRetention) > 0) {
            throw new InvalidSettingException("PROCESSORS_TIMELINE_DEDUPE_RETENTION", "must be between 0 and "
                    + "PROCESSORS_TIMELINE_RETENTION (" + timelineRetention + "), was " + timelineDedupeRetention);
        }
    }

    /** The timeline's retention and publication options. */
    public TimelineOptions timelineOptions() {
        return new TimelineOptions(timelineRetention, timelineDedupeRetention,
                TimelineOptions.defaults().summaryInterval());
    }

    /**
     * Where the Streams applications keep local state: {@code <dataDir>/streams} (created if missing), where Kafka
     * Streams separates applications by application id, so a restart finds its state again; null without a data
     * directory, which gives every application a fresh temporary directory, so two applications or tests in one
     * JVM never share (and never lock each other out of) a state directory.
     */
    public Path stateDirectory() {
        if (dataDir == null || dataDir.isBlank()) {
            return null;
        }
        try {
            return Files.createDirectories(Path.of(dataDir.strip(), "streams"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka Streams state directory", e);
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
