package io.sipai.system.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.sipai.schemas.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything committed to one topic, as a customer's consumer sees it (every partition from the beginning,
 * {@code read_committed}), decoded and kept with the moment the test read it, so a scenario can ask what arrived and
 * when (kill-to-event times). Reads in a background thread until closed; a broker outage only delays it.
 */
public final class TopicTap<V> implements AutoCloseable {

    /** A record's value and when this tap read it ({@link System#nanoTime()}). */
    public record Seen<V>(V value, long seenAtNanos) {
    }

    private final Topic<String, V> topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Seen<V>> seen = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private TopicTap(String bootstrapServers, Topic<String, V> topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "tap-" + topic.name() + "-" + UUID.randomUUID()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.reader = Thread.ofPlatform().daemon().name("tap-" + topic.name()).start(this::read);
    }

    /** Starts reading {@code topic} from the beginning. */
    public static <V> TopicTap<V> start(String bootstrapServers, Topic<String, V> topic) {
        return new TopicTap<>(bootstrapServers, topic);
    }

    /** Every value read so far that matches, in read order. */
    public List<Seen<V>> matching(Predicate<V> filter) {
        return seen.stream().filter(record -> filter.test(record.value())).toList();
    }

    /** Waits up to {@code timeout} for the first value that matches; fails naming {@code what} otherwise. */
    public Seen<V> await(Predicate<V> filter, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Seen<V>> found = matching(filter);
            if (!found.isEmpty()) {
                return found.getFirst();
            }
            sleep(50);
        }
        throw new AssertionError("no " + what + " on " + topic.name() + " within " + timeout);
    }

    private void read() {
        try {
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value() != null) {
                        seen.add(new Seen<>(topic.valueSerde().deserializer().deserialize(topic.name(),
                                record.value()), System.nanoTime()));
                    }
                }
            }
        } catch (WakeupException e) {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            reader.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
