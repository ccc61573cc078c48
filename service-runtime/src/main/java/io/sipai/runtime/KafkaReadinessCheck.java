package io.sipai.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.sipai.health.ServiceProbe;
import io.sipai.runtime.kafka.KafkaClients;
import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ready while this instance can really write to Kafka: every {@value #PROBE_INTERVAL_MS} ms it writes a
 * {@link ServiceProbe} to {@code sipai.health.v1} with {@code acks=all}, and it is ready while the last
 * acknowledgement is at most {@value #STALE_MS} ms old. A cluster that lost too many brokers to take writes (fewer
 * in-sync replicas than {@code min.insync.replicas}), a frozen partition leader or a broken network all show, which a
 * metadata request answered from a cache would not. The probe topic is created if missing.
 */
public final class KafkaReadinessCheck implements ReadinessCheck, AutoCloseable {

    static final long PROBE_INTERVAL_MS = 5_000;
    static final long STALE_MS = 15_000;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaReadinessCheck.class);

    private final KafkaSettings settings;
    private final KafkaProducer<String, ServiceProbe> producer;
    private final Clock clock;
    private final String key;
    private final AtomicLong lastAcknowledged = new AtomicLong(-1);
    private final Thread prober;
    private volatile boolean running = true;
    private volatile boolean topicReady;
    private volatile boolean failing;

    public KafkaReadinessCheck(KafkaSettings settings) {
        this(settings, Clock.systemUTC());
    }

    KafkaReadinessCheck(KafkaSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.key = ServiceMain.serviceName() + "/" + instanceName();
        this.producer = new KafkaProducer<>(KafkaClients.producer(settings, ServiceMain.serviceName() + "-readiness",
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000)),
                new StringSerializer(), Topics.SERVICE_HEALTH.valueSerde().serializer());
        this.prober = Thread.ofVirtual().name("kafka-readiness-probe").start(this::probeLoop);
    }

    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public boolean ready() {
        long last = lastAcknowledged.get();
        return last >= 0 && clock.millis() - last <= STALE_MS;
    }

    private void probeLoop() {
        while (running) {
            try {
                if (!topicReady) {
                    createTopic();
                }
                probe();
            } catch (RuntimeException e) {
                noteFailure(e);
            }
            try {
                Thread.sleep(PROBE_INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void createTopic() {
        try (Admin admin = Admin.create(adminConfig())) {
            new TopicCreator(admin, settings.replicationFactor().shortValue(), Duration.ofSeconds(10))
                    .createAll(List.of(Topics.SERVICE_HEALTH));
        }
        topicReady = true;
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = new java.util.HashMap<>(settings.clientConfig());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, ServiceMain.serviceName() + "-readiness-admin");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8_000);
        return config;
    }

    private void probe() {
        long sentAt = clock.millis();
        ServiceProbe probe = new ServiceProbe(ServiceMain.serviceName(), key, java.time.Instant.ofEpochMilli(sentAt));
        producer.send(new ProducerRecord<>(Topics.SERVICE_HEALTH.name(), key, probe), (metadata, error) -> {
            if (error != null) {
                noteFailure(error);
            } else {
                lastAcknowledged.accumulateAndGet(sentAt, Math::max);
                if (failing) {
                    failing = false;
                    LOG.info("Kafka takes writes again (acks=all)");
                }
            }
        });
    }

    private void noteFailure(Throwable error) {
        if (!failing) {
            failing = true;
            LOG.warn("Kafka readiness probe failed, the instance reports not ready while it fails: {}",
                    error.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        prober.interrupt();
        producer.close(Duration.ofSeconds(2));
    }
}
