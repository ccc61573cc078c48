package io.sipai.edge.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.admission.Rejected;
import io.sipai.common.AdmissionCounters;
import io.sipai.common.AdmissionLimit;
import io.sipai.common.EventSource;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRejected;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Stand-in for the admission processor (another module) in the edge's tests: consumes {@code call.admission.v1}
 * from the real broker and answers every AcquireSlot on {@code call.admission-decisions.v1}. Tenant {@code full} is
 * rejected with the tenant limit, tenant {@code silent} gets no answer, everyone else is granted. Like the real
 * processor, it writes the decision and the call's CallAdmitted/CallRejected on {@code call.events.v1} in one
 * transaction, so tests see where admission's event lands relative to the edge's own. Records every command it saw.
 */
public final class AdmissionResponder {

    public static final String FULL_TENANT = "full";
    public static final String SILENT_TENANT = "silent";

    private static AdmissionResponder instance;

    public final List<AdmissionCommand> commands = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, AdmissionCommand> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final CountDownLatch positioned = new CountDownLatch(1);

    private AdmissionResponder(String brokers) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringDeserializer(), Topics.CALL_ADMISSION.valueSerde().deserializer());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-admission-responder-" + UUID.randomUUID()),
                new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        Thread.ofPlatform().daemon().name("test-admission-responder").start(this::run);
    }

    /** The one responder of the test JVM, started on first use. */
    public static synchronized AdmissionResponder start() {
        if (instance == null) {
            TestKafka.createTopics();
            instance = new AdmissionResponder(TestKafka.brokers());
            try {
                instance.positioned.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return instance;
    }

    /** Commands seen for a call. */
    public List<AdmissionCommand> commandsFor(String callId) {
        return commands.stream().filter(c -> c.getCallId().equals(callId)).toList();
    }

    private void run() {
        TopicPartition partition = new TopicPartition(Topics.CALL_ADMISSION.name(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
        positioned.countDown();
        while (true) {
            for (ConsumerRecord<String, AdmissionCommand> record : consumer.poll(Duration.ofMillis(100))) {
                commands.add(record.value());
                if (record.value().getCommand() instanceof AcquireSlot) {
                    answer(record.value());
                }
            }
        }
    }

    private void answer(AdmissionCommand command) {
        if (SILENT_TENANT.equals(command.getTenantId())) {
            return;
        }
        AdmissionCounters counters = AdmissionCounters.newBuilder().setGlobalActive(1).setGlobalLimit(10_000)
                .setTenantActive(FULL_TENANT.equals(command.getTenantId()) ? 2 : 1).setTenantLimit(2).build();
        Object outcome = FULL_TENANT.equals(command.getTenantId())
                ? Rejected.newBuilder().setLimit(AdmissionLimit.TENANT).setDetail("tenant limit 2 reached (2 active)")
                .setCounters(counters).build()
                : Granted.newBuilder().setCounters(counters).setLeaseExpiresAt(Instant.now().plusSeconds(600)).build();
        AdmissionDecision decision = AdmissionDecision.newBuilder().setCallId(command.getCallId())
                .setCommandId(command.getCommandId()).setTenantId(command.getTenantId())
                .setCampaignId(command.getCampaignId()).setDecidedAt(Instant.now()).setOutcome(outcome).build();
        Object event = outcome instanceof Granted granted
                ? CallAdmitted.newBuilder().setCounters(counters).setLeaseExpiresAt(granted.getLeaseExpiresAt()).build()
                : CallRejected.newBuilder().setLimit(AdmissionLimit.TENANT).setDetail(((Rejected) outcome).getDetail())
                .setCounters(counters).build();
        CallEvent envelope = CallEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setCallId(command.getCallId()).setTenantId(command.getTenantId())
                .setCampaignId(command.getCampaignId()).setAgentId(command.getAgentId()).setOccurredAt(Instant.now())
                .setSource(EventSource.STREAM_PROCESSORS).setPayload(event).build();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(Topics.CALL_ADMISSION_DECISIONS.name(), command.getCallId(),
                Topics.CALL_ADMISSION_DECISIONS.valueSerde().serializer().serialize("", decision)));
        producer.send(new ProducerRecord<>(Topics.CALL_EVENTS.name(), command.getCallId(),
                Topics.CALL_EVENTS.valueSerde().serializer().serialize("", envelope)));
        producer.commitTransaction();
    }
}
