package io.sipai.processors;

import static io.sipai.runtime.InvalidSettingException.inRange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sipai.processors.timeline.TimelineOptions;
import io.sipai.runtime.InvalidSettingException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
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
 *                                   (default 2: each thread commits its tasks in its own transaction, so a
 *                                   survivor that takes over a lost instance's tasks works off their backlog on
 *                                   two transactions at once)
 * @param timelineRetention          {@code PROCESSORS_TIMELINE_RETENTION}: how long an ended call stays in the
 *                                   timeline stores, so late events are still recognised as AFTER_END (default 24h)
 * @param timelineDedupeRetention    {@code PROCESSORS_TIMELINE_DEDUPE_RETENTION}: how long an ended call's eventIds
 *                                   are kept for dedupe (default 1h, at most the retention)
 * @param sessionTimeoutMs           {@code PROCESSORS_SESSION_TIMEOUT_MS}: an instance that stops heartbeating its
 *                                   consumer group (killed, frozen, cut off) loses its tasks to the others after
 *                                   this (default 6000, the broker's default minimum; Kafka's own is 45000)
 * @param heartbeatIntervalMs        {@code PROCESSORS_HEARTBEAT_INTERVAL_MS}: group heartbeat period; also how soon a
 *                                   survivor learns of a rebalance (default 1500, or a quarter of a shorter
 *                                   session timeout; at most a third of it)
 * @param transactionTimeoutMs       {@code PROCESSORS_TRANSACTION_TIMEOUT_MS}: the broker aborts an open
 *                                   transaction after this. A live instance's transaction must outlast a broker's
 *                                   death (writes wait until the controller fences the dead node, 6-9 s, and its
 *                                   coordinators move), or the instance is fenced; a dead instance's transaction is
 *                                   aborted by the survivor well before (DepartedInstanceFencer) where it can
 *                                   run, else after this (default 10000, Kafka Streams' own; keep it a few
 *                                   seconds above the brokers' broker.session.timeout.ms)
 * @param standbyReplicas            {@code PROCESSORS_STANDBY_REPLICAS}: warm copies of each task's state on other
 *                                   instances, so a survivor takes over without restoring from the changelogs
 *                                   (default 1)
 * @param streamsConfig              {@code PROCESSORS_STREAMS_CONFIG}: further Kafka Streams, consumer or producer
 *                                   settings for both apps, {@code key=value} pairs separated by commas (see
 *                                   {@link StreamsOverrides}); none by default
 */
@ConfigurationProperties("processors")
public record StreamsSettings(String applicationIdPrefix, String dataDir, Long admissionCommitIntervalMs,
                              Long timelineCommitIntervalMs, Integer timelineThreads, Duration timelineRetention,
                              Duration timelineDedupeRetention, Integer sessionTimeoutMs, Integer heartbeatIntervalMs,
                              Integer transactionTimeoutMs, Integer standbyReplicas, String streamsConfig) {

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
        timelineThreads = timelineThreads == null ? 2 : timelineThreads;
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
        sessionTimeoutMs = inRange("PROCESSORS_SESSION_TIMEOUT_MS", sessionTimeoutMs, 6_000, 1_000, 300_000);
        heartbeatIntervalMs = inRange("PROCESSORS_HEARTBEAT_INTERVAL_MS", heartbeatIntervalMs,
                Math.min(1_500, sessionTimeoutMs / 4), 100, sessionTimeoutMs / 3);
        transactionTimeoutMs = inRange("PROCESSORS_TRANSACTION_TIMEOUT_MS", transactionTimeoutMs, 10_000,
                (int) Math.max(1_000, 10 * Math.max(admissionCommitIntervalMs, timelineCommitIntervalMs)), 900_000);
        standbyReplicas = inRange("PROCESSORS_STANDBY_REPLICAS", standbyReplicas, 1, 0, 3);
        StreamsOverrides.parse(streamsConfig);
    }

    /**
     * The Streams settings both apps add to {@code StreamsApplication}'s: the failover settings above, then
     * {@code PROCESSORS_STREAMS_CONFIG} on top.
     */
    public Map<String, Object> overrides() {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), sessionTimeoutMs);
        overrides.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), heartbeatIntervalMs);
        overrides.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), transactionTimeoutMs);
        overrides.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        overrides.putAll(StreamsOverrides.parse(streamsConfig));
        return overrides;
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

    /**
     * Consumer group of the release bridge ({@code <prefix>-admission-releases}), also its client ids.
     */
    public String releasesGroupId() {
        return applicationIdPrefix + "-admission-releases";
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
