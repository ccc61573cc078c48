package io.sipai.system.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRequested;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What api-gateway does for an inbound provider call before the provider connects its media to realtime-edge, for
 * scenarios that run no gateway: CallRequested written and acknowledged, then AcquireSlot on
 * {@code call.admission.v1}, then the admission processor's Granted awaited. Also writes contract records the way
 * the gateway does (a webhook subscription, for instance).
 */
public final class ProviderCalls implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicTap<AdmissionDecision> decisions;

    public ProviderCalls(String bootstrapServers, TopicTap<AdmissionDecision> decisions) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
        this.decisions = decisions;
    }

    /** Admits an inbound call of {@code tenant} over {@code transport}; fails unless admission grants it. */
    public void admit(String callId, String tenant, Transport transport) {
        write(Topics.CALL_EVENTS, callId, CallEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                .setCallId(callId).setTenantId(tenant).setOccurredAt(Instant.now())
                .setSource(EventSource.API_GATEWAY).setPayload(CallRequested.newBuilder()
                        .setDirection(CallDirection.INBOUND).setTransport(transport).setMetadata(Map.of()).build())
                .build());
        write(Topics.CALL_ADMISSION, Topics.ADMISSION_KEY, AdmissionCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString()).setCallId(callId).setTenantId(tenant)
                .setIssuedAt(Instant.now()).setSource(EventSource.API_GATEWAY)
                .setCommand(new AcquireSlot(CallDirection.INBOUND, transport)).build());
        AdmissionDecision decision = decisions.await(d -> d.getCallId().equals(callId), Duration.ofSeconds(30),
                "admission decision for " + callId).value();
        if (!(decision.getOutcome() instanceof Granted)) {
            throw new AssertionError("call " + callId + " not admitted: " + decision.getOutcome());
        }
    }

    /** Writes one record and waits for the acknowledgement. */
    public <V> void write(Topic<String, V> topic, String key, V value) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(),
                    key), topic.valueSerde().serializer().serialize(topic.name(), value))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic.name(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
