package io.sipai.system.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.common.AdmissionCounters;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Stands in for stream-processors' admission in a scenario that is not about it (a Streams app would cost the
 * scenario a JVM): reads {@code call.admission.v1} from its end and answers every AcquireSlot with a Granted
 * decision on {@code call.admission-decisions.v1} (key callId), written in a transaction like the processor's, so
 * the services' read_committed readers see it. It limits nothing.
 */
public final class AdmissionStandIn implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicInteger granted = new AtomicInteger();
    private final Thread thread;

    private AdmissionStandIn(String bootstrapServers) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "system-admission-stand-in-" + UUID.randomUUID()),
                new ByteArraySerializer(), new ByteArraySerializer());
        CountDownLatch positioned = new CountDownLatch(1);
        this.thread = Thread.ofPlatform().daemon().name("admission-stand-in").start(() -> run(positioned));
        try {
            if (!positioned.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the admission stand-in found no end of call.admission.v1 in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts answering; returns once it reads from the end of the command topic. */
    public static AdmissionStandIn start(String bootstrapServers) {
        return new AdmissionStandIn(bootstrapServers);
    }

    /** Slots granted so far. */
    public int granted() {
        return granted.get();
    }

    private void run(CountDownLatch positioned) {
        producer.initTransactions();
        TopicPartition partition = new TopicPartition(Topics.CALL_ADMISSION.name(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
        positioned.countDown();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    AdmissionCommand command = Topics.CALL_ADMISSION.valueSerde().deserializer()
                            .deserialize(record.topic(), record.value());
                    if (command.getCommand() instanceof AcquireSlot) {
                        grant(command);
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } finally {
            consumer.close();
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void grant(AdmissionCommand command) {
        Instant now = Instant.now();
        AdmissionDecision decision = new AdmissionDecision(command.getCallId(), command.getCommandId(),
                command.getTenantId(), command.getCampaignId(), now, new Granted(
                new AdmissionCounters(1, 10_000, 1, 200, null, null), now.plusSeconds(600)), null);
        String topic = Topics.CALL_ADMISSION_DECISIONS.name();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic,
                Topics.CALL_ADMISSION_DECISIONS.keySerde().serializer().serialize(topic, command.getCallId()),
                Topics.CALL_ADMISSION_DECISIONS.valueSerde().serializer().serialize(topic, decision)));
        producer.commitTransaction();
        granted.incrementAndGet();
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
