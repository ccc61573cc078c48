package io.sipai.testing.kafka;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sipai.events.CallEvent;
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

/**
 * The test JVM's one embedded broker (spring-kafka-test's global broker, whose address is the system property
 * {@code spring.embedded.kafka.brokers}): the contract's topics, plain produce and read helpers, and a live reader
 * of {@code call.events.v1} by call.
 */
public final class TestKafka {

    private static final Map<String, List<CallEvent>> EVENTS = new ConcurrentHashMap<>();
    private static volatile boolean created;
    private static volatile boolean reading;

    private TestKafka() {
    }

    /** Bootstrap servers of the JVM's broker. */
    public static String brokers() {
        String brokers = System.getProperty("spring.embedded.kafka.brokers");
        if (brokers == null) {
            throw new IllegalStateException("no embedded broker: set spring.kafka.global.embedded.enabled=true "
                    + "for the module's surefire run");
        }
        return brokers;
    }

    /** Creates every contract topic once per JVM. */
    public static synchronized void ensureTopics() {
        if (!created) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers()))) {
                new TopicCreator(admin, (short) 1, Duration.ofSeconds(60)).createAll(Topics.ALL);
            }
            created = true;
        }
    }

    /** A bytes producer with {@code acks=all}; the caller closes it. */
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

    /** Every committed record now on the topic, as (key, value); values decoded, tombstones as null. */
    public static <V> List<Map.Entry<String, V>> readAll(Topic<String, V> topic) {
        return readAll(brokers(), topic);
    }

    /** {@link #readAll(Topic)} on the cluster at {@code bootstrapServers}, e.g. a system test's own cluster. */
    public static <V> List<Map.Entry<String, V>> readAll(String bootstrapServers, Topic<String, V> topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
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
                    out.add(new AbstractMap.SimpleEntry<>(key, value));
                }
            }
            return out;
        }
    }

    /** Every event of the call read so far from {@code call.events.v1}, in partition (= write) order. */
    public static List<CallEvent> events(String callId) {
        startReading();
        return List.copyOf(EVENTS.getOrDefault(callId, List.of()));
    }

    /** The payload classes of the call's events, in order. */
    public static List<String> eventTypes(String callId) {
        return events(callId).stream().map(e -> e.getPayload().getClass().getSimpleName()).toList();
    }

    private static synchronized void startReading() {
        if (reading) {
            return;
        }
        ensureTopics();
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.CALL_EVENTS.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Thread.ofPlatform().daemon().name("test-call-events-reader").start(() -> {
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    CallEvent event = Topics.CALL_EVENTS.valueSerde().deserializer().deserialize(record.topic(),
                            record.value());
                    EVENTS.computeIfAbsent(event.getCallId(), k -> new CopyOnWriteArrayList<>()).add(event);
                }
            }
        });
        reading = true;
    }
}
