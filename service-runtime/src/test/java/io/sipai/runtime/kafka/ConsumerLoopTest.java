package io.sipai.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.quarantine.QuarantineReason;
import io.sipai.quarantine.QuarantinedRecord;
import io.sipai.runtime.KafkaSettings;
import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Consumer loops on the JVM's real broker: quarantine, retry until success, catch-up, restart, liveness. */
class ConsumerLoopTest {

    private static KafkaSettings kafka;
    private final List<ConsumerLoop> loops = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void broker() {
        kafka = KafkaSettings.plaintext(System.getProperty("spring.embedded.kafka.brokers"));
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            new TopicCreator(admin, (short) 1, Duration.ofSeconds(30)).createAll(List.of(Topics.CALL_QUARANTINE));
        }
    }

    @AfterEach
    void stopLoops() {
        loops.forEach(ConsumerLoop::stop);
    }

    private static String newTopic(int partitions) {
        String topic = "loop-test-" + UUID.randomUUID();
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return topic;
    }

    private static void send(String topic, String... values) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientConfig(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8))).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sendTo(String topic, int partition, String... values) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientConfig(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ConsumerLoop started(ConsumerLoop.Builder builder, ConsumerLoop.Handler handler) {
        ConsumerLoop loop = builder.kafka(kafka).handler(handler).build();
        loops.add(loop);
        loop.start();
        return loop;
    }

    private static String text(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    @Test
    void anUnprocessableRecordIsQuarantinedWithItsReasonAndTheRestOfTheBatchIsHandled() {
        // given
        String topic = newTopic(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        ConsumerLoop loop = started(ConsumerLoop.grouped("poison-test", "g-" + UUID.randomUUID(), List.of(topic)),
                batch -> {
                    for (int i = 0; i < batch.size(); i++) {
                        if (text(batch.get(i)).equals("poison")) {
                            throw new UnprocessableRecordException(i, QuarantineReason.REJECTED, "refused: poison",
                                    null);
                        }
                        handled.add(text(batch.get(i)));
                    }
                });
        // when
        send(topic, "a", "poison", "b", "c");
        // then
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(handled).contains("a", "b", "c"));
        assertThat(handled).doesNotContain("poison");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(quarantinedFrom(topic))
                .singleElement().satisfies(q -> {
                    assertThat(q.getReasonCode()).isEqualTo(QuarantineReason.REJECTED);
                    assertThat(q.getReason()).isEqualTo("refused: poison");
                    assertThat(q.getProcessor()).isEqualTo("poison-test");
                    assertThat(StandardCharsets.UTF_8.decode(q.getValue()).toString()).isEqualTo("poison");
                    assertThat(q.getOffset()).isEqualTo(1L);
                }));
        assertThat(loop.alive()).isTrue();
    }

    @Test
    void aFailingHandlerIsRetriedUntilItSucceedsAndNothingIsLostOrSkipped() {
        // given: a store that is down for the first three attempts (200, 400, 800 ms of backoff)
        String topic = newTopic(2);
        AtomicInteger attempts = new AtomicInteger();
        List<String> handled = new CopyOnWriteArrayList<>();
        started(ConsumerLoop.grouped("retry-test", "g-" + UUID.randomUUID(), List.of(topic)), batch -> {
            if (attempts.incrementAndGet() <= 3) {
                throw new IllegalStateException("database unavailable");
            }
            batch.forEach(record -> handled.add(text(record)));
        });
        // when
        send(topic, "1", "2", "3", "4");
        // then
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(handled)
                .containsExactlyInAnyOrder("1", "2", "3", "4"));
        assertThat(quarantinedFrom(topic)).isEmpty();
    }

    @Test
    void anAssignedLoopFromTheBeginningIsReadyOnlyOnceItHandledWhatWasThereAtStart() {
        // given
        String topic = newTopic(3);
        send(topic, "x1", "x2", "x3", "x4", "x5", "x6");
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        // when
        ConsumerLoop loop = started(ConsumerLoop.assigned("cache-test", topic, ConsumerLoop.From.BEGINNING),
                batch -> {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    batch.forEach(record -> handled.add(text(record)));
                });
        // then
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> !loop.ready());
        gate.countDown();
        await().atMost(Duration.ofSeconds(30)).until(loop::ready);
        assertThat(handled).containsExactlyInAnyOrder("x1", "x2", "x3", "x4", "x5", "x6");
    }

    @Test
    void anAssignedLoopFromTheBeginningOfATransactionalTopicCatchesUpPastTheLastCommitMarker() throws Exception {
        // given a topic whose last write is a committed transaction (its commit marker is the last offset)
        String topic = newTopic(1);
        Map<String, Object> config = new java.util.HashMap<>(kafka.clientConfig());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "loop-test-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "t1".getBytes(StandardCharsets.UTF_8),
                    "t1".getBytes(StandardCharsets.UTF_8))).get();
            producer.commitTransaction();
        }
        List<String> handled = new CopyOnWriteArrayList<>();
        // when
        ConsumerLoop loop = started(ConsumerLoop.assigned("txn-test", topic, ConsumerLoop.From.BEGINNING),
                batch -> batch.forEach(record -> handled.add(text(record))));
        // then
        await().atMost(Duration.ofSeconds(30)).until(loop::ready);
        assertThat(handled).containsExactly("t1");
    }

    @Test
    void anAssignedLoopFromTheBeginningSkipsAnUnprocessableRecordAndStillCatchesUp() {
        // given: the undecodable record comes after another partition's records in the batch
        String topic = newTopic(2);
        sendTo(topic, 0, "a1", "a2");
        sendTo(topic, 1, "b1", "undecodable");
        List<String> handled = new CopyOnWriteArrayList<>();
        // when
        ConsumerLoop loop = started(ConsumerLoop.assigned("skip-test", topic, ConsumerLoop.From.BEGINNING),
                batch -> {
                    for (int i = 0; i < batch.size(); i++) {
                        if (text(batch.get(i)).equals("undecodable")) {
                            throw new UnprocessableRecordException(i, QuarantineReason.MALFORMED, "cannot decode",
                                    null);
                        }
                        handled.add(text(batch.get(i)));
                    }
                });
        // then
        await().atMost(Duration.ofSeconds(30)).until(loop::ready);
        assertThat(handled).contains("a1", "a2", "b1").doesNotContain("undecodable");
        assertThat(loop.alive()).isTrue();
    }

    @Test
    void anAssignedLoopFromTheEndSeesOnlyWhatIsWrittenAfterItStarted() {
        // given
        String topic = newTopic(2);
        send(topic, "old");
        List<String> handled = new CopyOnWriteArrayList<>();
        ConsumerLoop loop = started(ConsumerLoop.assigned("reply-test", topic, ConsumerLoop.From.END),
                batch -> batch.forEach(record -> handled.add(text(record))));
        await().atMost(Duration.ofSeconds(30)).until(loop::ready);
        // when
        send(topic, "new");
        // then
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(handled).containsExactly("new"));
    }

    @Test
    void aConsumerKilledByAnErrorIsReplacedAndGoesOnFromWhereItWas() {
        // given: the handler's thread dies once (an Error, not an exception)
        String topic = newTopic(1);
        AtomicInteger calls = new AtomicInteger();
        List<String> handled = new CopyOnWriteArrayList<>();
        ConsumerLoop loop = started(ConsumerLoop.grouped("crash-test", "g-" + UUID.randomUUID(), List.of(topic)),
                batch -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new OutOfMemoryError("simulated");
                    }
                    batch.forEach(record -> handled.add(text(record)));
                });
        // when
        send(topic, "p", "q");
        // then
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(handled).contains("p", "q"));
        assertThat(loop.alive()).isTrue();
    }

    @Test
    void aConsumerThatKeepsDyingIsReportedNotAlive() {
        // given
        String topic = newTopic(1);
        ConsumerLoop loop = started(ConsumerLoop.grouped("doomed-test", "g-" + UUID.randomUUID(), List.of(topic)),
                batch -> {
                    throw new OutOfMemoryError("simulated, every time");
                });
        // when
        send(topic, "z");
        // then
        await().atMost(Duration.ofSeconds(90)).until(() -> !loop.alive());
    }

    @Test
    void aReplacementWaitsAQuarterSecondAndTwiceAsLongForEachDeathInARowUpToTwoSeconds() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 6).mapToObj(ConsumerLoop::restartPause)
                .map(Duration::toMillis)).containsExactly(250L, 500L, 1_000L, 2_000L, 2_000L, 2_000L);
    }

    private static List<QuarantinedRecord> quarantinedFrom(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "isolation.level", "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CALL_QUARANTINE.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<QuarantinedRecord> out = new CopyOnWriteArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    QuarantinedRecord q = Topics.CALL_QUARANTINE.valueSerde().deserializer()
                            .deserialize(record.topic(), record.value());
                    if (q.getSourceTopic().equals(topic)) {
                        out.add(q);
                    }
                }
            }
            return out;
        }
    }
}
