package io.sipai.dispatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.delivery.DeliveryWorker;
import io.sipai.dispatcher.fanout.WebhookPayloads;
import io.sipai.dispatcher.internal.TopicLeaders;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.ReadinessCheck;
import io.sipai.schemas.Topic;
import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the dispatcher's Kafka Streams application ({@link DispatcherTopology}): creates the contract topics it
 * uses if missing (and waits for their partition leaders, see {@link TopicLeaders}), starts with exactly-once v2,
 * reports readiness when RUNNING and closes on shutdown. Stopping and starting again (what a restart does) resumes
 * from the committed state: queued deliveries and retry timers are in changelogged stores.
 */
public final class DispatcherStreams implements SmartLifecycle, ReadinessCheck {

    /** Topics of the contract this service reads or writes. */
    public static final List<Topic<?, ?>> TOPICS = List.of(Topics.CALL_EVENTS, Topics.WEBHOOK_SUBSCRIPTIONS,
            Topics.WEBHOOK_OUTBOX, Topics.WEBHOOK_ATTEMPTS, Topics.WEBHOOK_DEAD_LETTER, Topics.WEBHOOK_REPLAY);

    private final KafkaSettings kafka;
    private final DispatcherSettings settings;
    private final DeliveryWorker worker;
    private final WebhookPayloads payloads;
    private final Clock clock;
    private final String stateDir;
    private volatile KafkaStreams streams;

    public DispatcherStreams(KafkaSettings kafka, DispatcherSettings settings, DeliveryWorker worker,
                             WebhookPayloads payloads, Clock clock) {
        this.kafka = kafka;
        this.settings = settings;
        this.worker = worker;
        this.payloads = payloads;
        this.clock = clock;
        this.stateDir = settings.stateDir() != null ? settings.stateDir() : temporaryStateDir();
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            TopicCreator.Result result = new TopicCreator(admin, kafka.replicationFactor().shortValue(),
                    Duration.ofSeconds(30)).createAll(TOPICS);
            if (!result.partitionMismatches().isEmpty()) {
                // The scheduler reads outbox and attempts as one co-partitioned stream: a mismatch misroutes results.
                throw new IllegalStateException("webhook topics have the wrong partition counts: "
                        + result.partitionMismatches());
            }
            TopicLeaders.await(admin, TOPICS, Duration.ofSeconds(30));
        }
        KafkaStreams created = new KafkaStreams(DispatcherTopology.build(payloads, worker, clock, settings.tick(),
                settings.inFlightTimeout()), properties());
        created.start();
        streams = created;
    }

    @Override
    public synchronized void stop() {
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
            streams = null;
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    @Override
    public String name() {
        return "webhook-streams";
    }

    @Override
    public boolean ready() {
        KafkaStreams current = streams;
        return current != null && current.state() == KafkaStreams.State.RUNNING;
    }

    /** The subscription as the dispatcher currently sees it (global store), if any. */
    public Optional<WebhookSubscription> subscription(String subscriptionId) {
        KafkaStreams current = streams;
        if (current == null || current.state() != KafkaStreams.State.RUNNING) {
            return Optional.empty();
        }
        ReadOnlyKeyValueStore<String, WebhookSubscription> store = current.store(StoreQueryParameters.fromNameAndType(
                DispatcherNames.SUBSCRIPTIONS_STORE, QueryableStoreTypes.keyValueStore()));
        return Optional.ofNullable(store.get(subscriptionId));
    }

    private Properties properties() {
        Properties props = new Properties();
        props.putAll(kafka.clientConfig());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, kafka.replicationFactor());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
        // A new outbox record is seen by the scheduler only once its transaction commits: the commit interval is
        // the main share of event-to-delivery latency, and each commit costs a transaction round trip.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        // Outbox and attempts are merged in one task; their relative order does not matter (results are matched
        // by attempt id), so a task never waits for data on its other partition.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        // Bad bytes on an input topic are logged and skipped: the timeline processor quarantines bad call events.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class);
        // Transactions v2 bump the producer epoch for every transaction, and the broker rejects (retriably, as
        // OUT_OF_ORDER_SEQUENCE_NUMBER, after retry.backoff.ms) a batch that reaches a partition while the
        // transaction's first batch to it is still being verified. With pipelined requests that hit most
        // transactions and delayed each commit by 100+ ms; one request in flight, carrying every partition's batch,
        // avoids it. Records batch up while that request is out, so a long linger would only add latency.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), 1);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        // A thread commits only between polls: an idle poll longer than the commit interval would hold back the
        // commit, and so the visibility, of outbox records already written.
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.min(settings.commitInterval().toMillis(), 100));
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 1_000);
        return props;
    }

    private static String temporaryStateDir() {
        try {
            return Files.createTempDirectory("sipai-webhook-dispatcher").toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a Kafka Streams state directory", e);
        }
    }
}
