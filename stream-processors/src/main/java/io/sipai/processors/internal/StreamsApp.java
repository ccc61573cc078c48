package io.sipai.processors.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import io.sipai.runtime.ReadinessCheck;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka Streams application (one {@code application.id}) with sipai's guarantees: {@code exactly_once_v2},
 * {@code acks=all}, undecodable input quarantined by {@link QuarantiningDeserializationHandler}, a replaced thread
 * on an unexpected error, and its own state directory. It is ready when the application is RUNNING.
 */
public final class StreamsApp implements ReadinessCheck, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

    private final String applicationId;
    private final KafkaStreams streams;

    /**
     * @param applicationId    the application id (consumer group, prefix of internal topics)
     * @param bootstrapServers Kafka bootstrap servers
     * @param stateDir         the state directory; must not be used by any other running application instance
     * @param commitIntervalMs transaction commit interval: the upper bound on how long output stays invisible to
     *                         read_committed consumers
     * @param threads          stream threads
     * @param replicationFactor replication of the changelog topics
     */
    public StreamsApp(String applicationId, Topology topology, String bootstrapServers, Path stateDir,
                      long commitIntervalMs, int threads, int replicationFactor) {
        this(applicationId, topology, properties(applicationId, bootstrapServers, stateDir, commitIntervalMs, threads,
                replicationFactor));
    }

    /** An application with a complete configuration, e.g. {@link #properties} with test or benchmark overrides. */
    public StreamsApp(String applicationId, Topology topology, Properties properties) {
        this.applicationId = applicationId;
        this.streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("{}: stream thread failed, replacing it", applicationId, exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** The Streams configuration every sipai processor runs with. */
    public static Properties properties(String applicationId, String bootstrapServers, Path stateDir,
                                        long commitIntervalMs, int threads, int replicationFactor) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                QuarantiningDeserializationHandler.class.getName());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        // Output is flushed at every commit anyway; with one request in flight (below) records batch up while a
        // request is out, so a long linger only adds latency.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG),
                (int) Math.min(commitIntervalMs / 2, 5));
        // A thread commits only between polls: a poll that blocks longer than the commit interval when input is
        // idle would hold back the commit (and the visibility) of what was already processed.
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.min(commitIntervalMs, 100));
        // Transactions v2 start every transaction with an epoch bump, and a broker rejects (retriably, after
        // retry.backoff.ms) any batch of a partition that arrives while the transaction's first batch to that
        // partition is still being verified. With pipelined requests that happened in nearly every transaction and
        // cost 100+ ms; one request in flight (carrying every partition's batch) avoids it.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 100);
        return props;
    }

    /** Starts processing. */
    public void start() {
        LOG.info("{}: starting", applicationId);
        streams.start();
    }

    /** The application id. */
    public String applicationId() {
        return applicationId;
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

    /** Stops processing, committing what was processed, within {@code timeout}. */
    public void close(Duration timeout) {
        LOG.info("{}: closing", applicationId);
        streams.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
