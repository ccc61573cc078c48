package io.sipai.gateway.calls;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.gateway.internal.kafka.RecordPublisher;
import io.sipai.gateway.internal.web.ApiSettings;
import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.ReadinessCheck;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Request-reply with the admission processor over Kafka: sends AcquireSlot to {@code call.admission.v1} (key
 * {@link Topics#ADMISSION_KEY}) and waits, bounded by {@code API_ADMISSION_TIMEOUT_MS}, for the
 * {@code AdmissionDecision} with the same callId and commandId on {@code call.admission-decisions.v1}. Every
 * instance reads all decision partitions from the end (no consumer group), so any instance can ask.
 */
@Component
public class AdmissionClient implements ReadinessCheck, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionClient.class);

    private final RecordPublisher publisher;
    private final Duration timeout;
    private final Clock clock;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ConcurrentMap<String, CompletableFuture<AdmissionDecision>> pending = new ConcurrentHashMap<>();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    public AdmissionClient(RecordPublisher publisher, KafkaSettings kafka, ApiSettings settings, Clock clock) {
        this.publisher = publisher;
        this.timeout = Duration.ofMillis(settings.admissionTimeoutMs());
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "api-gateway-admission-" + UUID.randomUUID(),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = Thread.ofPlatform().name("admission-decisions").daemon().start(this::loop);
    }

    /** Asks for a slot; returns the decision, or throws 503 when admission does not answer in time. */
    public AdmissionDecision acquire(String callId, String tenantId, String campaignId, String agentId,
                                     CallDirection direction, Transport transport, EventSource source) {
        String commandId = UUID.randomUUID().toString();
        AdmissionCommand command = AdmissionCommand.newBuilder().setCommandId(commandId).setCallId(callId)
                .setTenantId(tenantId).setCampaignId(campaignId).setAgentId(agentId).setIssuedAt(clock.instant())
                .setSource(source).setCommand(new AcquireSlot(direction, transport)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<AdmissionDecision> answer = new CompletableFuture<>();
        String key = callId + "|" + commandId;
        pending.put(key, answer);
        try {
            if (!positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw unavailable(callId);
            }
            publisher.send(Topics.CALL_ADMISSION, Topics.ADMISSION_KEY, command);
            return answer.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            release(callId, tenantId, campaignId, agentId, source, "admission answered too late");
            throw unavailable(callId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(callId);
        } catch (ExecutionException e) {
            throw new IllegalStateException("admission request failed", e.getCause());
        } finally {
            pending.remove(key);
        }
    }

    /** Frees a slot that may have been granted to a call that will not go ahead. */
    public void release(String callId, String tenantId, String campaignId, String agentId, EventSource source,
                        String reason) {
        publisher.send(Topics.CALL_ADMISSION, Topics.ADMISSION_KEY, AdmissionCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString()).setCallId(callId).setTenantId(tenantId)
                .setCampaignId(campaignId).setAgentId(agentId).setIssuedAt(clock.instant()).setSource(source)
                .setCommand(new ReleaseSlot(reason)).build());
    }

    private static ApiException unavailable(String callId) {
        return new ApiException(ProblemType.ADMISSION_UNAVAILABLE, "admission did not decide on call " + callId
                + " in time; try again", Map.of("callId", callId));
    }

    private void loop() {
        try {
            assignFromEnd();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    complete(record);
                }
            }
        } catch (WakeupException e) {
            // close() asked the loop to stop.
        } catch (RuntimeException e) {
            LOG.error("admission decision consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void assignFromEnd() {
        String topic = Topics.CALL_ADMISSION_DECISIONS.name();
        List<TopicPartition> partitions = List.of();
        while (running && partitions.isEmpty()) {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        positioned.countDown();
    }

    private void complete(ConsumerRecord<byte[], byte[]> record) {
        if (pending.isEmpty() || record.value() == null) {
            return;
        }
        try {
            AdmissionDecision decision = Topics.CALL_ADMISSION_DECISIONS.valueSerde().deserializer()
                    .deserialize(record.topic(), record.value());
            CompletableFuture<AdmissionDecision> waiting =
                    pending.get(decision.getCallId() + "|" + decision.getCommandId());
            if (waiting != null) {
                waiting.complete(decision);
            }
        } catch (SerializationException e) {
            LOG.warn("skipping undecodable admission decision at {}-{}@{}", record.topic(), record.partition(),
                    record.offset());
        }
    }

    @Override
    public String name() {
        return "admission-decisions";
    }

    @Override
    public boolean ready() {
        return positioned.getCount() == 0 && thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
