package io.sipai.dispatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.delivery.DeliveryJob;
import io.sipai.dispatcher.fanout.WebhookPayloads;
import io.sipai.dispatcher.instances.LocalStreams;
import io.sipai.dispatcher.internal.TopicLeaders;
import io.sipai.dispatcher.subscriptions.SubscriptionStore;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.LivenessCheck;
import io.sipai.runtime.ReadinessCheck;
import io.sipai.runtime.kafka.StreamsApplication;
import io.sipai.schemas.Topic;
import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the dispatcher's Kafka Streams application ({@link DispatcherTopology}) as a {@link StreamsApplication}
 * (exactly-once v2, undecodable input quarantined, failed threads replaced): creates the contract topics it uses
 * if missing (and waits for their partition leaders, see {@link TopicLeaders}), starts, reports readiness when
 * RUNNING and liveness as the application does (a client that died fails {@code /health}), and closes on shutdown.
 * Stopping and starting again (what a restart does) builds a new application over the same state directory and
 * resumes from the committed state: queued deliveries and retry timers are in changelogged stores.
 */
public final class DispatcherStreams implements SmartLifecycle, ReadinessCheck, LivenessCheck {

    /** Topics of the contract this service reads or writes. */
    public static final List<Topic<?, ?>> TOPICS = List.of(Topics.CALL_TIMELINE_ENTRIES,
            Topics.WEBHOOK_SUBSCRIPTIONS, Topics.WEBHOOK_OUTBOX, Topics.WEBHOOK_ATTEMPTS, Topics.WEBHOOK_DEAD_LETTER, Topics.WEBHOOK_REPLAY,
            Topics.CALL_QUARANTINE);

    private final KafkaSettings kafka;
    private final DispatcherSettings settings;
    private final Consumer<DeliveryJob> worker;
    private final WebhookPayloads payloads;
    private final Clock clock;
    private final Path stateDir;
    private volatile StreamsApplication app;
    private volatile long run;

    public DispatcherStreams(KafkaSettings kafka, DispatcherSettings settings,
                             Consumer<DeliveryJob> worker, WebhookPayloads payloads, Clock clock) {
        this.kafka = kafka;
        this.settings = settings;
        this.worker = worker;
        this.payloads = payloads;
        this.clock = clock;
        // Chosen once, so a stop and start in one process reuses the local state instead of restoring it.
        this.stateDir = settings.stateDir() != null ? Path.of(settings.stateDir()) : temporaryStateDir();
    }

    @Override
    public synchronized void start() {
        if (app != null) {
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
        StreamsApplication created = new StreamsApplication(settings.applicationId(), DispatcherTopology.build(
                payloads, worker, clock, settings.tick(), settings.inFlightTimeout()), properties());
        created.start();
        run++;
        app = created;
    }

    @Override
    public synchronized void stop() {
        StreamsApplication stopping = app;
        if (stopping != null) {
            // Gone for the instance count first, so this instance opens nothing more before it leaves the group
            // and the others take its share (after one request time: DispatcherInstances).
            app = null;
            stopping.close(Duration.ofSeconds(30));
        }
    }

    @Override
    public boolean isRunning() {
        return app != null;
    }

    @Override
    public String name() {
        return "webhook-streams";
    }

    @Override
    public boolean ready() {
        StreamsApplication current = app;
        return current != null && current.ready();
    }

    @Override
    public boolean alive() {
        StreamsApplication current = app;
        return current == null || current.alive();
    }

    /** The subscription as the dispatcher currently sees it (global store), if any. */
    public Optional<WebhookSubscription> subscription(String subscriptionId) {
        StreamsApplication current = app;
        if (current == null || !current.ready()) {
            return Optional.empty();
        }
        return Optional.ofNullable(current.<String, WebhookSubscription>keyValueStore(SubscriptionStore.NAME)
                .get(subscriptionId));
    }

    /** This instance's Streams client as the instance count needs it (no request: local metadata only). */
    public LocalStreams local() {
        StreamsApplication current = app;
        if (current == null) {
            return LocalStreams.NONE;
        }
        KafkaStreams.State state = current.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            return new LocalStreams(run, false, Set.of(), Set.of());
        }
        Set<String> clientIds = new TreeSet<>();
        Set<String> tasks = new TreeSet<>();
        for (ThreadMetadata thread : current.streams().metadataForLocalThreads()) {
            clientIds.add(thread.consumerClientId());
            thread.activeTasks().forEach(task -> tasks.add(task.taskId().toString()));
        }
        return new LocalStreams(run, state == KafkaStreams.State.RUNNING, clientIds, tasks);
    }

    /** The Kafka Streams configuration the application runs with. */
    public Properties properties() {
        return StreamsApplication.properties(kafka, new StreamsApplication.Options(settings.applicationId(), stateDir,
                settings.commitInterval(), settings.streamThreads(), Map.of(
                        // Outbox and attempts are merged in one task; their relative order does not matter (results
                        // are matched by attempt id), so a task never waits for data on its other partition.
                        StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L,
                        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 1_000,
                        // How soon a killed instance's tasks move to the others.
                        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                        (int) settings.sessionTimeout().toMillis(),
                        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                        (int) settings.heartbeatInterval().toMillis())));
    }

    private static Path temporaryStateDir() {
        try {
            return Files.createTempDirectory("sipai-webhook-dispatcher");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a Kafka Streams state directory", e);
        }
    }
}
