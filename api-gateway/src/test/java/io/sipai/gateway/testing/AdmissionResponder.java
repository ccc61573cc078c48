package io.sipai.gateway.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.admission.Rejected;
import io.sipai.common.AdmissionCounters;
import io.sipai.common.AdmissionLimit;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A stand-in for the admission processor (another module): consumes {@code call.admission.v1} from the real broker
 * and answers each AcquireSlot on {@code call.admission-decisions.v1}: Rejected with the configured limit for
 * tenants listed in {@link #REJECT}, no answer at all for tenants in {@link #SILENT}, Granted otherwise. It also
 * remembers every command it saw.
 */
public final class AdmissionResponder {

    /** Tenant id to the limit that rejects its calls. */
    public static final Map<String, AdmissionLimit> REJECT = new ConcurrentHashMap<>();
    /** Tenants whose requests get no answer. */
    public static final Set<String> SILENT = ConcurrentHashMap.newKeySet();
    /** Every command seen, in order. */
    public static final List<AdmissionCommand> SEEN = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static boolean started;

    private AdmissionResponder() {
    }

    public static synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.brokers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(Topics.CALL_ADMISSION.name(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
        KafkaProducer<byte[], byte[]> producer = TestKafka.producer();
        Thread.ofPlatform().daemon().name("test-admission-responder").start(() -> {
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    AdmissionCommand command = Topics.CALL_ADMISSION.valueSerde().deserializer()
                            .deserialize(record.topic(), record.value());
                    SEEN.add(command);
                    if (command.getCommand() instanceof AcquireSlot && !SILENT.contains(command.getTenantId())) {
                        AdmissionDecision decision = decide(command);
                        producer.send(new ProducerRecord<>(Topics.CALL_ADMISSION_DECISIONS.name(),
                                Topics.CALL_ADMISSION_DECISIONS.keySerde().serializer()
                                        .serialize("", command.getCallId()),
                                Topics.CALL_ADMISSION_DECISIONS.valueSerde().serializer().serialize("", decision)));
                    }
                }
            }
        });
    }

    private static AdmissionDecision decide(AdmissionCommand command) {
        AdmissionCounters counters = new AdmissionCounters(1, 10_000, 1, 200, null, null);
        AdmissionLimit limit = REJECT.get(command.getTenantId());
        Object outcome = limit == null ? new Granted(counters, Instant.now().plusSeconds(600))
                : new Rejected(limit, limit.name().toLowerCase(java.util.Locale.ROOT) + " limit 200 reached (200 active)",
                counters);
        return new AdmissionDecision(command.getCallId(), command.getCommandId(), command.getTenantId(),
                command.getCampaignId(), Instant.now(), outcome);
    }
}
