package io.sipai.edge.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sipai.events.CallEvent;
import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The test JVM's one in-JVM broker (started by spring-kafka-test's global embedded broker): its address, the
 * contract's topics, and a downstream reader of {@code call.events.v1} that keeps every event per call in order.
 */
public final class TestKafka {

    private static volatile boolean created;
    private static final Map<String, List<CallEvent>> EVENTS = new ConcurrentHashMap<>();
    private static volatile boolean reading;

    private TestKafka() {
    }

    public static String brokers() {
        String brokers = System.getProperty("spring.embedded.kafka.brokers");
        if (brokers == null) {
            throw new IllegalStateException("the global embedded Kafka broker is not running");
        }
        return brokers;
    }

    public static synchronized void createTopics() {
        if (created) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers()))) {
            new TopicCreator(admin, (short) 1, Duration.ofSeconds(60)).createAll(Topics.ALL);
        }
        created = true;
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
        createTopics();
        KafkaConsumer<String, CallEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                Topics.CALL_EVENTS.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.CALL_EVENTS.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Thread.ofPlatform().daemon().name("test-call-events-reader").start(() -> {
            while (true) {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> EVENTS
                        .computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>()).add(record.value()));
            }
        });
        reading = true;
    }
}
