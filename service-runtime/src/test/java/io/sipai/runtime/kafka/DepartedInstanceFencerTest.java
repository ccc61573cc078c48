package io.sipai.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import io.sipai.runtime.KafkaSettings;
import io.sipai.testing.kafka.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Kafka Streams application on the test broker with, beside its running instance, the open transaction of an
 * instance that died (its transactional id as Kafka Streams names it, a process that is no longer in the group,
 * a transaction timeout a minute away): the running instance aborts that transaction within seconds, so
 * {@code read_committed} readers of the partitions it wrote move on; it leaves alone a long transaction of a process
 * that is still a member and one of another application.
 */
class DepartedInstanceFencerTest {

    private final String appId = "fence-" + UUID.randomUUID().toString().substring(0, 8);
    private final String input = appId + "-in";
    private final String output = appId + "-out";
    private final String elsewhere = appId + "-elsewhere";
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.brokers()));

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
        admin.close();
    }

    @Test
    void theOpenTransactionOfAnInstanceThatLeftTheGroupIsAbortedLongBeforeItsTimeout() throws Exception {
        // given a running instance copying input to output
        StreamsApplication app = runningApplication();
        String liveProcess = processOf(app);
        // and a dead instance's transaction left open on the output, a thread of the live process holding one open
        // on another topic, and another application's
        String dead = appId + "-" + UUID.randomUUID() + "-0";
        openTransaction(dead, output);
        KafkaProducer<String, String> liveThread = openTransaction(appId + "-" + liveProcess + "-7", elsewhere);
        KafkaProducer<String, String> otherApp = openTransaction("other-" + dead, elsewhere);

        // when a record arrives behind the dead transaction
        long sent = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>(input, "call-1", "hello")).get();
        }

        // then it is readable on the output within seconds, not the dead transaction's minute
        assertThat(readCommitted(output, 1, Duration.ofSeconds(15))).containsExactly("hello");
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(15));
        assertThat(state(dead)).isIn(TransactionState.PREPARE_ABORT, TransactionState.COMPLETE_ABORT,
                TransactionState.EMPTY);
        // and two checks later the live process's and the other application's transactions are still open
        Thread.sleep(DepartedInstanceFencer.CHECK_INTERVAL.multipliedBy(3).toMillis());
        assertThat(state(appId + "-" + liveProcess + "-7")).isEqualTo(TransactionState.ONGOING);
        assertThat(state("other-" + dead)).isEqualTo(TransactionState.ONGOING);
        assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
        liveThread.abortTransaction();
        otherApp.abortTransaction();
    }

    @Test
    void theProcessIdIsReadFromTransactionalAndClientIdsOfTheApplicationOnly() {
        // given
        String process = UUID.randomUUID().toString();
        try (DepartedInstanceFencer fencer = DepartedInstanceFencer.start(appId,
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.brokers()))) {
            // when / then
            assertThat(fencer.processOf(appId + "-" + process + "-3")).contains(process);
            assertThat(fencer.processOf(appId + "-" + process + "-StreamThread-1-consumer")).contains(process);
            assertThat(fencer.processOf(appId + "-releaser-" + process + "-0")).isEmpty();
            assertThat(fencer.processOf("other-" + appId + "-" + process + "-0")).isEmpty();
            assertThat(fencer.processOf(appId + "-custom-client-StreamThread-1-consumer")).isEmpty();
        }
    }

    private StreamsApplication runningApplication() throws ExecutionException, InterruptedException {
        admin.createTopics(List.of(new NewTopic(input, 1, (short) 1), new NewTopic(output, 1, (short) 1),
                new NewTopic(elsewhere, 1, (short) 1))).all().get();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        KafkaSettings kafka = new KafkaSettings(TestKafka.brokers(), 1, null, null, null, null, null, null);
        StreamsApplication app = new StreamsApplication(kafka, builder.build(), new StreamsApplication.Options(
                appId, null, Duration.ofMillis(100), 1, Map.of()));
        open.add(() -> app.close(Duration.ofSeconds(10)));
        app.start();
        await().atMost(Duration.ofSeconds(60)).until(app::ready);
        return app;
    }

    private static String processOf(StreamsApplication app) {
        String clientId = app.streams().metadataForLocalThreads().iterator().next().consumerClientId();
        return clientId.substring(app.applicationId().length() + 1, app.applicationId().length() + 37);
    }

    private KafkaProducer<String, String> openTransaction(String transactionalId, String topic)
            throws ExecutionException, InterruptedException {
        KafkaProducer<String, String> producer = producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000));
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "call-0", "left open")).get();
        return producer;
    }

    private KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.brokers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer());
        open.add(() -> producer.close(Duration.ZERO));
        return producer;
    }

    private TransactionState state(String transactionalId) throws ExecutionException, InterruptedException {
        return admin.listTransactions().all().get().stream()
                .filter(listing -> listing.transactionalId().equals(transactionalId))
                .map(TransactionListing::state).findFirst().orElseThrow();
    }

    private List<String> readCommitted(String topic, int count, Duration within) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.brokers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, appId + "-reader"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + within.toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }
}
