package io.sipai.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.sipai.events.CallEvent;
import io.sipai.processors.testing.Broker;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.quarantine.QuarantinedRecord;
import io.sipai.runtime.kafka.StreamsApplication;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * The safety net every sipai Streams app is configured with: a source whose deserializer fails (here a topology
 * that decodes {@code call.events.v1} in its source, as a later source might) neither crashes the stream thread nor
 * drops the record: the original bytes land on {@code call.quarantine.v1} (read_committed) and the next record is
 * processed.
 */
class QuarantiningDeserializationHandlerOnBrokerTest {

    private final Set<String> processed = ConcurrentHashMap.newKeySet();

    private Topology decodingInSource() {
        Topology topology = new Topology();
        topology.addSource("events", Topics.CALL_EVENTS.keySerde().deserializer(),
                Topics.CALL_EVENTS.valueSerde().deserializer(), Topics.CALL_EVENTS.name());
        topology.addProcessor("record", () -> new ContextualProcessor<String, CallEvent, Void, Void>() {
            @Override
            public void process(Record<String, CallEvent> record) {
                processed.add(record.value().getEventId());
            }
        }, "events");
        return topology;
    }

    @Test
    void undecodableBytesOnTheBrokerAreQuarantinedWithTheOriginalBytesAndTheNextRecordStillApplies() {
        String key = "undecodable-" + UUID.randomUUID();
        byte[] garbage = {(byte) 0xC3, 0x01, 9, 9, 9, 9, 9, 9, 9, 9, 42};
        StreamsApplication app = Broker.app("quarantine-handler", decodingInSource(), 10);
        try (KafkaProducer<String, CallEvent> events = Broker.producer(Topics.CALL_EVENTS);
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Broker.servers()), new StringSerializer(),
                     new ByteArraySerializer());
             KafkaConsumer<String, QuarantinedRecord> quarantine = Broker.consumerAtEnd(Topics.CALL_QUARANTINE)) {
            app.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> app.state() == KafkaStreams.State.RUNNING);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                CallEvent probe = Events.event(key, "t1", Events.requested());
                events.send(new ProducerRecord<>(Topics.CALL_EVENTS.name(), key, probe)).get();
                return !processed.isEmpty();
            });

            raw.send(new ProducerRecord<>(Topics.CALL_EVENTS.name(), key, garbage));
            raw.flush();
            CallEvent next = Events.event(key, "t1", Events.answered());
            events.send(new ProducerRecord<>(Topics.CALL_EVENTS.name(), key, next));
            events.flush();

            List<ConsumerRecord<String, QuarantinedRecord>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Broker.poll(quarantine, seen);
                assertThat(seen).filteredOn(record -> key.equals(record.key())).singleElement()
                        .satisfies(record -> {
                            QuarantinedRecord quarantined = record.value();
                            assertThat(quarantined.getReasonCode()).isEqualTo(QuarantineReason.UNDECODABLE);
                            assertThat(quarantined.getValue().array()).isEqualTo(garbage);
                            assertThat(new String(quarantined.getKey().array(), StandardCharsets.UTF_8))
                                    .isEqualTo(key);
                            assertThat(quarantined.getSourceTopic()).isEqualTo(Topics.CALL_EVENTS.name());
                            assertThat(quarantined.getProcessor()).isEqualTo(app.applicationId());
                        });
                assertThat(processed).contains(next.getEventId());
            });
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
        } finally {
            app.close(Duration.ofSeconds(30));
        }
    }
}
