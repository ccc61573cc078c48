package io.sipai.runtime.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.LivenessCheck;
import io.sipai.runtime.ReadinessCheck;
import io.sipai.runtime.kafka.internal.LoopPositions;
import io.sipai.runtime.kafka.internal.QuarantineWriter;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * One Kafka consumer loop of a service (the gateway's read-model projector, the edge's agent directory, the
 * admission client's decision reader), run by a spring-kafka listener container so every loop has the same error
 * handling, lifecycle and metrics. Input: raw key/value bytes of the loop's topics; the {@link Handler} decodes.
 * <ul>
 *   <li><b>Grouped</b> loops ({@link #grouped}) share partitions with the other instances of the service through a
 *   consumer group and commit after each handled batch: at-least-once, so handlers must be idempotent.</li>
 *   <li><b>Assigned</b> loops ({@link #assigned}) read every partition of one topic without a group, from the
 *   beginning (a cache of a compacted topic) or from the end seen at start (request-reply), and commit nothing.</li>
 * </ul>
 * A record the handler can never apply ({@link UnprocessableRecordException}) is quarantined to
 * {@code call.quarantine.v1} with the reason by a grouped loop, or skipped and counted by an assigned one (it reads
 * a topic another service owns); the rest of the batch goes on. Any other failure retries the batch with
 * exponential backoff (200 ms up to 30 s) for as long as it takes: a database or broker outage delays, never
 * loses. A consumer that stops abnormally is replaced after a pause (250 ms, doubling for each replacement in a row
 * up to 2 s, so a one-off death costs a quarter second and a consumer that keeps dying does not spin); after
 * {@value #MAX_RESTARTS} replacements in a row without a handled batch the loop reports not alive. Ready once
 * running (assigned from the beginning: once caught up with the end offsets seen at start). Meters: {@code sipai.consumer.records}, {@code .quarantined},
 * {@code .skipped}, {@code .restarts} and the gauge {@code sipai.consumer.lag}, each tagged {@code loop}.
 */
public final class ConsumerLoop implements SmartLifecycle, ReadinessCheck, LivenessCheck {

    /** Handles one polled batch, in offset order per partition. */
    @FunctionalInterface
    public interface Handler {
        void handle(List<ConsumerRecord<byte[], byte[]>> records);
    }

    /** Where an assigned loop starts reading. */
    public enum From { BEGINNING, END }

    static final int MAX_RESTARTS = 5;
    private static final Duration IDLE_EVENT_INTERVAL = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration FIRST_RESTART_PAUSE = Duration.ofMillis(250);
    private static final Duration MAX_RESTART_PAUSE = Duration.ofSeconds(2);

    private final String name;
    private final String groupId;
    private final List<String> topics;
    private final From from;
    private final Handler handler;
    private final Map<String, Object> config;
    private final QuarantineWriter quarantine;
    private final Counter records;
    private final Counter quarantined;
    private final Counter skipped;
    private final Counter restarts;
    private final AtomicLong lag = new AtomicLong();
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private final LoopPositions positions = new LoopPositions();
    private final CompletableFuture<Void> positioned = new CompletableFuture<>();
    private volatile KafkaMessageListenerContainer<byte[], byte[]> container;
    private volatile boolean running;

    private ConsumerLoop(Builder builder) {
        this.name = builder.name;
        this.groupId = builder.groupId;
        this.topics = List.copyOf(builder.topics);
        this.from = builder.from;
        this.handler = builder.handler;
        Map<String, Object> overrides = new java.util.HashMap<>(Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        overrides.putAll(builder.overrides);
        if (groupId != null) {
            overrides.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        this.config = KafkaClients.consumer(builder.clientConfig, builder.clientId, overrides);
        this.quarantine = groupId != null ? new QuarantineWriter(builder.clientConfig, builder.clientId, name) : null;
        MeterRegistry meters = builder.meters != null ? builder.meters : new SimpleMeterRegistry();
        this.records = counter(meters, "sipai.consumer.records", "records handled");
        this.quarantined = counter(meters, "sipai.consumer.quarantined", "records quarantined");
        this.skipped = counter(meters, "sipai.consumer.skipped", "unprocessable records skipped");
        this.restarts = counter(meters, "sipai.consumer.restarts", "consumers replaced after an abnormal stop");
        Gauge.builder("sipai.consumer.lag", lag, AtomicLong::get).tag("loop", name)
                .description("records behind the end of the assigned partitions").register(meters);
    }

    private Counter counter(MeterRegistry meters, String meter, String description) {
        return Counter.builder(meter).tag("loop", name).description(description).register(meters);
    }

    /** A loop that shares the topics' partitions with the other members of {@code groupId}. */
    public static Builder grouped(String name, String groupId, List<String> topics) {
        return new Builder(name, groupId, topics, null);
    }

    /** A loop without a group that reads every partition of {@code topic} from {@code from}. */
    public static Builder assigned(String name, String topic, From from) {
        return new Builder(name, null, List.of(topic), from);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread.ofVirtual().name(name + "-starter").start(this::launch);
    }

    /** Finds the start offsets (assigned loops: waits for the topic), then starts a container. */
    private void launch() {
        try {
            TopicPartitionOffset[] assignment = groupId == null ? positions.resolve(config, topics.getFirst(),
                    from == From.BEGINNING, () -> running) : null;
            synchronized (this) {
                if (!running) {
                    return;
                }
                container = newContainer(assignment);
                container.start();
            }
            positioned.complete(null);
        } catch (RuntimeException e) {
            LOG.error("{}: cannot start the consumer: {}", name, e.toString());
            scheduleRestart();
        }
    }

    private KafkaMessageListenerContainer<byte[], byte[]> newContainer(TopicPartitionOffset[] assignment) {
        ContainerProperties properties = assignment == null ? new ContainerProperties(topics.toArray(String[]::new))
                : new ContainerProperties(assignment);
        properties.setAckMode(groupId == null ? ContainerProperties.AckMode.MANUAL : ContainerProperties.AckMode.BATCH);
        properties.setPollTimeout(500);
        properties.setMicrometerEnabled(false);
        properties.setShutdownTimeout(10_000);
        // A transactional topic ends in a commit marker no record stands for: an idle consumer's position tells an
        // assigned loop it has read past it (see onContainerEvent).
        properties.setIdleEventInterval(IDLE_EVENT_INTERVAL.toMillis());
        properties.setMessageListener((BatchConsumerAwareMessageListener<byte[], byte[]>) this::onBatch);
        KafkaMessageListenerContainer<byte[], byte[]> created = new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                properties);
        created.setBeanName(name);
        created.setCommonErrorHandler(errorHandler());
        created.setApplicationEventPublisher(this::onContainerEvent);
        return created;
    }

    private DefaultErrorHandler errorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(30_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        DefaultErrorHandler errors = new DefaultErrorHandler(this::recover, backOff);
        errors.addNotRetryableExceptions(UnprocessableRecordException.class);
        errors.setCommitRecovered(groupId != null);
        // An assigned loop has no group to commit to: committing after a skip would only fail.
        errors.setAckAfterHandle(groupId != null);
        return errors;
    }

    private void onBatch(List<ConsumerRecord<byte[], byte[]>> batch, Consumer<?, ?> consumer) {
        List<ConsumerRecord<byte[], byte[]>> rest = batch;
        while (!rest.isEmpty()) {
            try {
                handler.handle(rest);
                positions.handled(rest);
                rest = List.of();
            } catch (UnprocessableRecordException e) {
                int index = Math.clamp(e.index(), 0, rest.size() - 1);
                // The records before the failed one are done: the error handler never delivers them again.
                positions.handled(rest.subList(0, index));
                if (groupId != null) {
                    throw new BatchListenerFailedException(name + ": " + e.getMessage(), e, index);
                }
                // An assigned loop has no group to commit a recovery to: it skips here and goes on.
                skip(rest.get(index), e.getMessage());
                rest = rest.subList(index + 1, rest.size());
            }
        }
        records.increment(batch.size());
        failuresInARow.set(0);
        long behind = 0;
        for (TopicPartition partition : consumer.assignment()) {
            behind += consumer.currentLag(partition).orElse(0);
        }
        lag.set(behind);
    }

    private void skip(ConsumerRecord<?, ?> record, String reason) {
        skipped.increment();
        LOG.warn("{}: skipping record {}-{}@{}: {}", name, record.topic(), record.partition(), record.offset(),
                reason);
        positions.handled(List.of(record));
    }

    private void recover(ConsumerRecord<?, ?> record, Exception failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof UnprocessableRecordException)) {
            cause = cause.getCause();
        }
        String reason = cause != null ? cause.getMessage() : String.valueOf(failure);
        if (quarantine == null) {
            skip(record, reason);
            return;
        }
        quarantine.write(record, cause instanceof UnprocessableRecordException unprocessable ? unprocessable.reason()
                : io.sipai.quarantine.QuarantineReason.MALFORMED, reason);
        quarantined.increment();
    }

    private void onContainerEvent(Object event) {
        if (event instanceof ListenerContainerIdleEvent idle && !positions.caughtUp()) {
            // Published on the consumer's own thread, so its consumer may be asked for its positions here.
            positions.positioned(idle.getConsumer());
        }
        if (event instanceof ConsumerStoppedEvent stopped && stopped.getReason() != ConsumerStoppedEvent.Reason.NORMAL
                && running) {
            LOG.error("{}: consumer stopped ({}); replacing it", name, stopped.getReason());
            scheduleRestart();
        }
    }

    /** The pause before the {@code inARow}-th replacement in a row. */
    static Duration restartPause(int inARow) {
        Duration pause = FIRST_RESTART_PAUSE.multipliedBy(1L << Math.min(Math.max(inARow - 1, 0), 4));
        return pause.compareTo(MAX_RESTART_PAUSE) > 0 ? MAX_RESTART_PAUSE : pause;
    }

    private void scheduleRestart() {
        int inARow = failuresInARow.incrementAndGet();
        restarts.increment();
        Duration pause = restartPause(inARow);
        Thread.ofVirtual().name(name + "-restart").start(() -> {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            KafkaMessageListenerContainer<byte[], byte[]> old = container;
            if (old != null && old.isRunning()) {
                old.stop();
            }
            if (running) {
                launch();
            }
        });
    }

    @Override
    public void stop() {
        KafkaMessageListenerContainer<byte[], byte[]> current;
        synchronized (this) {
            running = false;
            current = container;
        }
        if (current != null) {
            current.stop();
        }
        if (quarantine != null) {
            quarantine.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean ready() {
        KafkaMessageListenerContainer<byte[], byte[]> current = container;
        return current != null && current.isRunning() && positions.caughtUp();
    }

    @Override
    public boolean alive() {
        return !running || failuresInARow.get() < MAX_RESTARTS;
    }

    /**
     * Completes once the loop's first consumer was started at its start offsets: from then on, every record written
     * to an assigned loop's topic reaches the handler (a request-reply client sends its requests only then).
     */
    public CompletableFuture<Void> positioned() {
        return positioned;
    }

    /** Records behind the end of the assigned partitions, as of the last handled batch. */
    public long lag() {
        return lag.get();
    }

    /** Configures a loop. */
    public static final class Builder {
        private final String name;
        private final String groupId;
        private final List<String> topics;
        private final From from;
        private Map<String, Object> clientConfig;
        private String clientId;
        private Handler handler;
        private Map<String, Object> overrides = Map.of();
        private MeterRegistry meters;

        private Builder(String name, String groupId, List<String> topics, From from) {
            this.name = name;
            this.groupId = groupId;
            this.topics = topics;
            this.from = from;
            this.clientId = name;
        }

        /** Connection and security of the service (this or {@link #clientConfig} is required). */
        public Builder kafka(KafkaSettings settings) {
            this.clientConfig = settings.clientConfig();
            return this;
        }

        /** The service's {@link KafkaSettings#clientConfig()}. */
        public Builder clientConfig(Map<String, Object> config) {
            this.clientConfig = Map.copyOf(config);
            return this;
        }

        /** Client id of the consumer (default: the loop's name). */
        public Builder clientId(String id) {
            this.clientId = id;
            return this;
        }

        /** What to do with each batch (required). */
        public Builder handler(Handler batchHandler) {
            this.handler = batchHandler;
            return this;
        }

        /** Consumer settings of this loop (fetch sizes, waits); the guarantees are checked on the result. */
        public Builder overrides(Map<String, Object> consumerOverrides) {
            this.overrides = Map.copyOf(consumerOverrides);
            return this;
        }

        /** Where the loop's meters go (default: nowhere). */
        public Builder meters(MeterRegistry registry) {
            this.meters = registry;
            return this;
        }

        public ConsumerLoop build() {
            if (clientConfig == null || handler == null) {
                throw new IllegalStateException("a consumer loop needs Kafka settings and a handler");
            }
            return new ConsumerLoop(this);
        }
    }
}
