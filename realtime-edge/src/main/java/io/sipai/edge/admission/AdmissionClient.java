package io.sipai.edge.admission;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Heartbeat;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.EventSource;
import io.sipai.edge.session.CallContext;
import io.sipai.runtime.ReadinessCheck;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request-reply client of the admission processor. Sends {@link AdmissionCommand}s to {@code call.admission.v1}
 * (key {@link Topics#ADMISSION_KEY}, idempotent producer) and matches {@link AdmissionDecision}s from
 * {@code call.admission-decisions.v1} (read from the end, read_committed, every partition assigned, no consumer
 * group) to pending requests by commandId. A request without a decision within {@code EDGE_ADMISSION_TIMEOUT_MS}
 * fails with an {@link AdmissionException} that says so.
 */
public final class AdmissionClient implements ReadinessCheck, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionClient.class);

    private final KafkaProducer<String, AdmissionCommand> producer;
    private final KafkaConsumer<String, AdmissionDecision> consumer;
    private final Map<String, CompletableFuture<AdmissionDecision>> pending = new ConcurrentHashMap<>();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Duration timeout;
    private final Thread thread;
    private volatile boolean running = true;

    public AdmissionClient(String bootstrapServers, String clientId, Duration timeout) {
        this.timeout = timeout;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId + "-admission",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(),
                Topics.CALL_ADMISSION.valueSerde().serializer());
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-decisions",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(),
                Topics.CALL_ADMISSION_DECISIONS.valueSerde().deserializer());
        this.thread = Thread.ofPlatform().name("edge-admission-decisions").daemon().start(this::run);
    }

    /**
     * Asks for a slot for the call. Completes with the decision, or exceptionally with an {@link AdmissionException}
     * when none arrives within the timeout.
     */
    public CompletableFuture<AdmissionDecision> acquire(CallContext call) {
        if (positioned.getCount() > 0) {
            return CompletableFuture.failedFuture(new AdmissionException(
                    "admission decisions are not being read yet (Kafka unreachable?)"));
        }
        String commandId = UUID.randomUUID().toString();
        CompletableFuture<AdmissionDecision> decision = new CompletableFuture<>();
        pending.put(commandId, decision);
        send(command(call, commandId, AcquireSlot.newBuilder().setDirection(call.direction())
                .setTransport(call.transport()).build()));
        return decision.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((result, error) -> {
            pending.remove(commandId);
            if (error == null) {
                return result;
            }
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            throw cause instanceof TimeoutException
                    ? new AdmissionException("no admission decision for call " + call.callId() + " within "
                    + timeout.toMillis() + " ms (EDGE_ADMISSION_TIMEOUT_MS)")
                    : new CompletionException(cause);
        });
    }

    /** Extends the call's slot lease. Fire and forget. */
    public void heartbeat(CallContext call) {
        send(command(call, UUID.randomUUID().toString(), Heartbeat.newBuilder().build()));
    }

    /** Frees the call's slot. Fire and forget. */
    public void release(CallContext call, String reason) {
        send(command(call, UUID.randomUUID().toString(), ReleaseSlot.newBuilder().setReason(reason).build()));
    }

    @Override
    public String name() {
        return "admission";
    }

    @Override
    public boolean ready() {
        return positioned.getCount() == 0 && thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }

    private static AdmissionCommand command(CallContext call, String commandId, Object command) {
        return AdmissionCommand.newBuilder().setCommandId(commandId).setCallId(call.callId())
                .setTenantId(call.tenantId()).setCampaignId(call.campaignId()).setAgentId(call.agentId())
                .setIssuedAt(Instant.now()).setSource(EventSource.REALTIME_EDGE).setCommand(command).build();
    }

    private void send(AdmissionCommand command) {
        producer.send(new ProducerRecord<>(Topics.CALL_ADMISSION.name(), Topics.ADMISSION_KEY, command),
                (metadata, error) -> {
                    if (error != null) {
                        LOG.warn("admission command for call {} not written: {}", command.getCallId(),
                                error.toString());
                    }
                });
    }

    private void pollOnce() {
        try {
            for (ConsumerRecord<String, AdmissionDecision> record : consumer.poll(Duration.ofMillis(500))) {
                CompletableFuture<AdmissionDecision> waiting = pending.get(record.value().getCommandId());
                if (waiting != null && record.value().getCallId().equals(record.key())) {
                    waiting.complete(record.value());
                }
            }
        } catch (RecordDeserializationException e) {
            // Not ours to quarantine (the processor owns the topic); skip it so later decisions still arrive.
            LOG.warn("unreadable admission decision at {} offset {} skipped: {}", e.topicPartition(), e.offset(),
                    e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CALL_ADMISSION_DECISIONS.name(),
                    Duration.ofMinutes(5)).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (running) {
                pollOnce();
            }
        } catch (WakeupException e) {
            LOG.debug("admission decision reader stopped");
        } catch (RuntimeException e) {
            LOG.error("admission decision reader failed: {}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
