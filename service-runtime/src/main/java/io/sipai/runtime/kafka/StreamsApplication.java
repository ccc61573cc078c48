package io.sipai.runtime.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.LivenessCheck;
import io.sipai.runtime.ReadinessCheck;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * One Kafka Streams application (one {@code application.id}) with sipai's guarantees and policies, shared by every
 * service that runs one: {@code exactly_once_v2} with {@code acks=all} (checked, see {@link KafkaClients}), the
 * connection and security settings of {@link KafkaSettings}, undecodable input quarantined by
 * {@link QuarantiningDeserializationHandler}, a replaced thread on an unexpected error, its own state
 * directory, and the open transactions of instances that died aborted as soon as the group drops them
 * ({@link DepartedInstanceFencer}). Ready when RUNNING; dead (liveness fails, so the process is restarted) when the client reached ERROR or
 * stopped without being asked to. Started and stopped with the Spring context.
 */
public final class StreamsApplication implements SmartLifecycle, ReadinessCheck, LivenessCheck {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApplication.class);

    /**
     * @param applicationId  the application id (consumer group, prefix of internal topics)
     * @param stateDir       the state directory, not shared with any other running instance; null for a new
     *                       temporary one (state then restores from the changelogs at every start)
     * @param commitInterval transaction commit interval: the upper bound on how long output stays invisible to
     *                       read_committed consumers
     * @param threads        stream threads
     * @param overrides      further Streams, producer or consumer settings of this application
     */
    public record Options(String applicationId, Path stateDir, Duration commitInterval, int threads,
                          Map<String, Object> overrides) {

        public Options {
            overrides = Map.copyOf(overrides);
        }
    }

    private final String applicationId;
    private final Properties properties;
    private final KafkaStreams streams;
    private volatile boolean stopping;
    private volatile boolean started;
    private DepartedInstanceFencer fencer;

    public StreamsApplication(KafkaSettings kafka, Topology topology, Options options) {
        this(options.applicationId(), topology, properties(kafka, options));
    }

    /** An application with a complete configuration, e.g. {@link #properties} with test or benchmark overrides. */
    public StreamsApplication(String applicationId, Topology topology, Properties properties) {
        KafkaClients.checkStreams(properties);
        this.applicationId = applicationId;
        this.properties = copy(properties);
        this.streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("{}: stream thread failed, replacing it", applicationId, exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((next, previous) -> {
            if (next == KafkaStreams.State.ERROR || next == KafkaStreams.State.PENDING_ERROR) {
                LOG.error("{}: Kafka Streams client failed ({} -> {}); the service reports not alive",
                        applicationId, previous, next);
            }
        });
    }

    /** The Streams configuration every sipai application runs with. */
    public static Properties properties(KafkaSettings kafka, Options options) {
        Properties props = new Properties();
        props.putAll(kafka.clientConfig());
        long commitMs = options.commitInterval().toMillis();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, options.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(options).toAbsolutePath().toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, options.threads());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, kafka.replicationFactor());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                QuarantiningDeserializationHandler.class.getName());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        // Output is flushed at every commit anyway; with one request in flight (below) records batch up while a
        // request is out, so a long linger only adds latency.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), (int) Math.min(commitMs / 2, 5));
        // A thread commits only between polls: a poll that blocks longer than the commit interval when input is
        // idle would hold back the commit (and the visibility) of what was already processed.
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.min(commitMs, 100));
        // Transactions v2 start every transaction with an epoch bump, and a broker rejects (retriably, as
        // OUT_OF_ORDER_SEQUENCE_NUMBER, after retry.backoff.ms) any batch of a partition that arrives while the
        // transaction's first batch to it is still being verified. With pipelined requests that hit nearly every
        // transaction and cost 100+ ms; one request in flight, carrying every partition's batch, avoids it.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 100);
        props.putAll(options.overrides());
        return props;
    }

    private static Path stateDir(Options options) {
        if (options.stateDir() != null) {
            return options.stateDir();
        }
        try {
            return Files.createTempDirectory("sipai-" + options.applicationId());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a Kafka Streams state directory", e);
        }
    }

    @Override
    public synchronized void start() {
        if (!started) {
            LOG.info("{}: starting", applicationId);
            streams.start();
            started = true;
            try {
                fencer = DepartedInstanceFencer.start(applicationId,
                        new StreamsConfig(properties).getAdminConfigs(applicationId + "-departed-fencer"));
            } catch (RuntimeException e) {
                LOG.warn("{}: departed instances' transactions will wait for their timeout: {}", applicationId,
                        e.toString());
            }
        }
    }

    @Override
    public void stop() {
        close(Duration.ofSeconds(30));
    }

    @Override
    public boolean isRunning() {
        return started && !stopping;
    }

    /** The application id. */
    public String applicationId() {
        return applicationId;
    }

    /**
     * The configuration the Streams client runs with (a copy), so a service's tests can check what its real
     * clients get, e.g. through {@link org.apache.kafka.streams.StreamsConfig#getProducerConfigs}.
     */
    public Properties properties() {
        return copy(properties);
    }

    private static Properties copy(Properties properties) {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /** Current state of the Streams client. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The underlying client, for tests and interactive queries. */
    public KafkaStreams streams() {
        return streams;
    }

    /**
     * A read-only view of a key-value store of this application.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the store is not queryable (startup,
     *                                                                    rebalance, restoration)
     */
    public <K, V> ReadOnlyKeyValueStore<K, V> keyValueStore(String storeName) {
        return streams.store(StoreQueryParameters.fromNameAndType(storeName,
                QueryableStoreTypes.<K, V>keyValueStore()));
    }

    @Override
    public String name() {
        return applicationId;
    }

    @Override
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public boolean alive() {
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
            return false;
        }
        return stopping || !started || state != KafkaStreams.State.NOT_RUNNING;
    }

    /**
     * Stops processing, committing what was processed, within {@code timeout}, and leaves the consumer group, so
     * another instance takes this one's tasks at once (a rolling restart, a drain) rather than after the session
     * timeout (Kafka Streams remains in the group on close by default).
     */
    public synchronized void close(Duration timeout) {
        if (stopping) {
            return;
        }
        stopping = true;
        LOG.info("{}: closing", applicationId);
        if (fencer != null) {
            fencer.close();
        }
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout));
    }
}
