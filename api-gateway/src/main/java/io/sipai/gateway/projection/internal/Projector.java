package io.sipai.gateway.projection.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.ReadinessCheck;
import io.sipai.schemas.Topics;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import io.sipai.webhook.WebhookAttempt;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Projects {@code call.timeline.v1} (key callId, compacted), {@code call.timeline-entries.v1} (key callId) and
 * {@code webhook.attempts.v1} (key subscriptionId/callId) into PostgreSQL. Consumer group
 * {@value #GROUP_ID}, read_committed; offsets are committed only after a batch's transaction commits, so a crash
 * replays the batch and the idempotent writes ({@link ProjectionWriter}) make that harmless: at-least-once
 * delivery, exactly-once effect. Metrics: {@code sipai.projection.lag.records} (records behind) and
 * {@code sipai.projection.lag.ms} (age of the last projected record).
 */
@Component
public class Projector implements ReadinessCheck, AutoCloseable {

    /** Consumer group of the projection. */
    public static final String GROUP_ID = "api-gateway-projection";

    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(Projector.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ProjectionWriter writer;
    private final Clock clock;
    private final AtomicLong lagRecords = new AtomicLong();
    private final AtomicLong lastRecordTimestamp = new AtomicLong(-1);
    private final Thread thread;
    private volatile boolean running = true;

    public Projector(KafkaSettings kafka, ProjectionWriter writer, MeterRegistry registry, Clock clock) {
        this.writer = writer;
        this.clock = clock;
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000));
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Gauge.builder("sipai.projection.lag.records", lagRecords, AtomicLong::get)
                .description("Records on the projected topics not yet in PostgreSQL").register(registry);
        Gauge.builder("sipai.projection.lag.ms", this, Projector::lagMillis)
                .description("Age of the last projected record").register(registry);
        this.thread = Thread.ofPlatform().name("read-model-projector").daemon().start(this::loop);
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(Topics.CALL_TIMELINE.name(), Topics.CALL_TIMELINE_ENTRIES.name(),
                    Topics.WEBHOOK_ATTEMPTS.name()));
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty() && !projected(records)) {
                    continue;
                }
                long lag = 0;
                for (var partition : consumer.assignment()) {
                    lag += consumer.currentLag(partition).orElse(0);
                }
                lagRecords.set(lag);
            }
        } catch (WakeupException e) {
            // close() asked the loop to stop.
        } catch (RuntimeException e) {
            LOG.error("read-model projection stopped; the service reports not ready", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Projects and commits the batch; on a database failure rewinds to it, so it is retried, and says false. */
    private boolean projected(ConsumerRecords<byte[], byte[]> records) {
        try {
            project(records);
            consumer.commitSync();
            return true;
        } catch (org.jooq.exception.DataAccessException | org.springframework.dao.DataAccessException e) {
            LOG.warn("projection batch failed, retrying: {}", e.getMessage());
            for (var partition : records.partitions()) {
                consumer.seek(partition, records.records(partition).getFirst().offset());
            }
            try {
                Thread.sleep(RETRY_BACKOFF.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                running = false;
            }
            return false;
        }
    }

    private void project(ConsumerRecords<byte[], byte[]> records) {
        List<CallTimeline> timelines = new ArrayList<>();
        List<TimelineEntry> entries = new ArrayList<>();
        List<WebhookAttempt> attempts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.value() == null) {
                continue;
            }
            try {
                String topic = record.topic();
                if (topic.equals(Topics.CALL_TIMELINE.name())) {
                    timelines.add(Topics.CALL_TIMELINE.valueSerde().deserializer().deserialize(topic, record.value()));
                } else if (topic.equals(Topics.CALL_TIMELINE_ENTRIES.name())) {
                    entries.add(Topics.CALL_TIMELINE_ENTRIES.valueSerde().deserializer()
                            .deserialize(topic, record.value()));
                } else {
                    attempts.add(Topics.WEBHOOK_ATTEMPTS.valueSerde().deserializer()
                            .deserialize(topic, record.value()));
                }
            } catch (SerializationException e) {
                // The record stays on its topic; the projection cannot use it, so it says where it is.
                LOG.warn("skipping undecodable record {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
            lastRecordTimestamp.set(record.timestamp());
        }
        writer.write(timelines, entries, attempts);
    }

    private double lagMillis() {
        long last = lastRecordTimestamp.get();
        return last < 0 || lagRecords.get() == 0 ? 0 : Math.max(0, clock.millis() - last);
    }

    @Override
    public String name() {
        return "read-model-projection";
    }

    @Override
    public boolean ready() {
        return thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
