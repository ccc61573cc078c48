package io.sipai.processors.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.sipai.processors.internal.StateDirectories;
import io.sipai.processors.internal.StreamsApp;
import io.sipai.schemas.Topic;
import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/** The module's one in-JVM broker, with the contract's topics, and clients of it for tests. */
public final class Broker {

    private static volatile boolean topicsCreated;

    private Broker() {
    }

    public static String servers() {
        String servers = System.getProperty("spring.embedded.kafka.brokers");
        if (servers == null) {
            throw new IllegalStateException("no embedded broker: run with spring.kafka.global.embedded.enabled");
        }
        if (!topicsCreated) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
                new TopicCreator(admin, (short) 1, Duration.ofSeconds(30)).createAll(Topics.ALL);
            }
            topicsCreated = true;
        }
        return servers;
    }

    /**
     * Streams configuration for a test app: a unique application id, its own state dir, and starting at the end of
     * the shared topics (so earlier tests' records are not reprocessed; callers send a probe once RUNNING).
     */
    public static Properties appProperties(String name, Path stateDir, long commitIntervalMs) {
        Properties props = StreamsApp.properties(name, servers(), stateDir, commitIntervalMs, 1, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "latest");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 5_000);
        return props;
    }

    public static StreamsApp app(String prefix, Topology topology, long commitIntervalMs) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new StreamsApp(id, topology, appProperties(id, StateDirectories.choose(null), commitIntervalMs));
    }

    public static <K, V> KafkaProducer<K, V> producer(Topic<K, V> topic) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 1), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** A read_committed consumer of every partition of {@code topic}, positioned at the end. */
    public static <K, V> KafkaConsumer<K, V> consumerAtEnd(Topic<K, V> topic) {
        KafkaConsumer<K, V> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < topic.partitions(); p++) {
            partitions.add(new TopicPartition(topic.name(), p));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /** Polls once and adds what arrived to {@code into}. */
    public static <K, V> void poll(KafkaConsumer<K, V> consumer, List<ConsumerRecord<K, V>> into) {
        consumer.poll(Duration.ofMillis(200)).forEach(into::add);
    }
}
