package io.sipai.processors.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.admission.AdmissionCommand;
import io.sipai.common.EndReason;
import io.sipai.events.CallEvent;
import io.sipai.processors.admission.internal.ReleaseBridge;
import io.sipai.processors.admission.internal.ReleaseOffsets;
import io.sipai.processors.testing.Broker;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.KafkaClients;
import io.sipai.schemas.Topics;
import io.sipai.testing.MutableClock;
import io.sipai.testing.events.Events;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The release bridge on the module's broker: where a new bridge group starts (the admission app's old release
 * offsets, its own, or the beginning), and a bridge whose producer broke replaces it, and reports itself dead only
 * when its writes keep failing.
 */
class ReleaseBridgeOnBrokerTest {

    private static String group(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(long... byPartition) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int p = 0; p < byPartition.length; p++) {
            offsets.put(new TopicPartition(Topics.CALL_EVENTS.name(), p), new OffsetAndMetadata(byPartition[p]));
        }
        return offsets;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aNewBridgeGroupStartsWhereTheAdmissionAppsReleasesStoppedAndAnExistingOneKeepsItsOwn() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Broker.servers()))) {
            // given the old admission app's committed release offsets, a group that has its own, and one with none
            String previous = group("old-admission");
            admin.alterConsumerGroupOffsets(previous, offsets(5, 7, 9)).all().get(10, TimeUnit.SECONDS);
            String upgraded = group("upgraded-releases");
            String running = group("running-releases");
            admin.alterConsumerGroupOffsets(running, offsets(1, 1, 1)).all().get(10, TimeUnit.SECONDS);
            String fresh = group("fresh-releases");

            // when each bridge group starts
            var taken = ReleaseOffsets.takeOver(admin, upgraded, previous, Duration.ofSeconds(10));
            var kept = ReleaseOffsets.takeOver(admin, running, previous, Duration.ofSeconds(10));
            var none = ReleaseOffsets.takeOver(admin, fresh, group("never-ran"), Duration.ofSeconds(10));

            // then only the group without offsets takes the old ones over; the others are left as they were
            assertThat(taken).isEqualTo(offsets(5, 7, 9));
            assertThat(committed(admin, upgraded)).isEqualTo(offsets(5, 7, 9));
            assertThat(kept).isEmpty();
            assertThat(committed(admin, running)).isEqualTo(offsets(1, 1, 1));
            assertThat(none).isEmpty();
            assertThat(committed(admin, fresh)).isEmpty();
        }
    }

    @Test
    void aBrokenProducerIsReplacedAndTheBridgeFailsLivenessOnlyWhenItsWritesKeepFailing() {
        // given a bridge whose first two producers are unusable (closed), on a clock the test moves
        AtomicInteger made = new AtomicInteger();
        AtomicBoolean healthy = new AtomicBoolean(false);
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
        Map<String, Object> config = KafkaClients.producer(KafkaSettings.plaintext(Broker.servers()),
                "bridge-test-" + UUID.randomUUID(), Map.of());
        ReleaseBridge bridge = new ReleaseBridge(() -> {
            made.incrementAndGet();
            Producer<String, AdmissionCommand> producer = new KafkaProducer<>(config, new StringSerializer(),
                    Topics.CALL_ADMISSION.valueSerde().serializer());
            if (!healthy.get()) {
                producer.close();
            }
            return producer;
        }, clock);
        String tenant = group("bridge");
        CallEvent ended = Events.eventNow(tenant + "-a", tenant, Events.ended(EndReason.CALLER_HANGUP));
        List<ConsumerRecord<byte[], byte[]>> batch = List.of(new ConsumerRecord<>(Topics.CALL_EVENTS.name(), 0, 0L,
                ended.getCallId().getBytes(StandardCharsets.UTF_8),
                Topics.CALL_EVENTS.valueSerde().serializer().serialize(Topics.CALL_EVENTS.name(), ended)));

        try (bridge; KafkaConsumer<String, AdmissionCommand> log = Broker.consumerAtEnd(Topics.CALL_ADMISSION)) {
            // when a batch fails, and fails again two minutes later
            assertThatThrownBy(() -> bridge.handle(batch)).isInstanceOf(RuntimeException.class);
            assertThat(bridge.alive()).as("one failure is not death").isTrue();
            clock.advance(ReleaseBridge.STUCK_AFTER);
            assertThatThrownBy(() -> bridge.handle(batch)).isInstanceOf(RuntimeException.class);

            // then each failure replaced the producer, and writes failing for that long fail liveness
            assertThat(made.get()).isEqualTo(3);
            assertThat(bridge.alive()).isFalse();

            // and once a producer works again the batch is written and the bridge is alive
            healthy.set(true);
            assertThatThrownBy(() -> bridge.handle(batch)).isInstanceOf(RuntimeException.class);
            bridge.handle(batch);
            assertThat(bridge.alive()).isTrue();
            List<ConsumerRecord<String, AdmissionCommand>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Broker.poll(log, seen);
                assertThat(seen).filteredOn(r -> tenant.equals(r.value().getTenantId()))
                        .extracting(r -> r.value().getCommandId())
                        .containsExactly("call-ended/" + ended.getEventId());
            });
        }
    }
}
