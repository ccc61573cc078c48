package io.sipai.bench.admission;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The one-broker stack the stream-processors load generators run on: a given broker ({@code host:port}) or, with
 * {@code embedded}, an in-JVM KRaft broker configured for transactions on one replica.
 */
public final class LocalStack implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final String servers;

    public LocalStack(String bootstrap) {
        quietLogging();
        if ("embedded".equals(bootstrap)) {
            broker = new EmbeddedKafkaKraftBroker(1, 1).brokerProperties(Map.of(
                    "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
                    "offsets.topic.replication.factor", "1", "log.dir", tempDir()));
            broker.afterPropertiesSet();
            servers = broker.getBrokersAsString();
        } else {
            broker = null;
            servers = bootstrap;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            new TopicCreator(admin, (short) 1, Duration.ofSeconds(60)).createAll(Topics.ALL);
        }
    }

    /**
     * Without a logback configuration in the shaded jar, logback logs everything at DEBUG to the console; the broker
     * and Streams then spend a large share of the 2 cores writing log lines, which distorts every figure.
     */
    public static void quietLogging() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("sipai-bench-kafka-").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String servers() {
        return servers;
    }

    /** Client properties for this stack. */
    public Properties client() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        return props;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.destroy();
        }
    }
}
