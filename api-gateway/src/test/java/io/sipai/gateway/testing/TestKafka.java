package io.sipai.gateway.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The test JVM's one embedded broker: its address, the contract's topics, and plain produce/read helpers. */
public final class TestKafka {

    private static boolean created;

    private TestKafka() {
    }

    public static String brokers() {
        return System.getProperty("spring.embedded.kafka.brokers");
    }

    /** Creates every contract topic once per JVM. */
    public static synchronized void ensureTopics() {
        if (!created) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers()))) {
                new TopicCreator(admin, (short) 1, Duration.ofSeconds(30)).createAll(Topics.ALL);
            }
            created = true;
        }
    }

    public static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Produces records and waits for each acknowledgement. */
    public static <V> void produce(Topic<String, V> topic, String key, List<V> values) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (V value : values) {
                producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(),
                        key), value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value)))
                        .get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record currently on the topic, as (key, value); values decoded, tombstones as null. */
    public static <V> List<Map.Entry<String, V>> readAll(Topic<String, V> topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers(),
                ConsumerConfig.CLIENT_ID_CONFIG, "test-reader-" + UUID.randomUUID()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<Map.Entry<String, V>> out = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String key = topic.keySerde().deserializer().deserialize(topic.name(), record.key());
                    V value = record.value() == null ? null
                            : topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
                    out.add(new java.util.AbstractMap.SimpleEntry<>(key, value));
                }
            }
            return out;
        }
    }
}
