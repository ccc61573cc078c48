package io.sipai.processors.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.StreamsApplication;
import io.sipai.schemas.Topic;
import io.sipai.testing.kafka.TestKafka;
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

    private Broker() {
    }

    /** The JVM's broker, with the contract's topics. */
    public static String servers() {
        TestKafka.ensureTopics();
        return TestKafka.brokers();
    }

    /**
     * A test app, not started: a unique application id, its own state dir, the service's Streams configuration,
     * and starting at the end of the shared topics (so earlier tests' records are not reprocessed; callers send a
     * probe once RUNNING). The caller closes it.
     */
    public static StreamsApplication app(String prefix, Topology topology, long commitIntervalMs) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new StreamsApplication(KafkaSettings.plaintext(servers()), topology, new StreamsApplication.Options(
                id, null, Duration.ofMillis(commitIntervalMs), 1, Map.of(
                        StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "latest",
                        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000,
                        StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 5_000)));
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
