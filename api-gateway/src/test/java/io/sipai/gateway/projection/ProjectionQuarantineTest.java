package io.sipai.gateway.projection;

import static io.sipai.gateway.db.jooq.Tables.CALLS;
import static io.sipai.gateway.db.jooq.Tables.TIMELINE_ENTRIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRequested;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.quarantine.QuarantinedRecord;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A record the projection can never write is quarantined to {@code call.quarantine.v1} with the reason, and the
 * records after it on the same partition, of other tenants, are projected: one bad row does not stall the read
 * model for everyone. Runs on the real PostgreSQL and broker.
 */
class ProjectionQuarantineTest extends GatewayTest {

    @Autowired
    DSLContext db;

    @Test
    void aRowTheDatabaseRefusesIsQuarantinedAndTheNextRecordsOfOtherTenantsAreProjected() {
        // given: a summary whose calling party is longer than calls.from_party keeps (SQLState 22001), then
        // summaries of other tenants' calls on the same partition
        String refused = UUID.randomUUID().toString();
        List<String> next = List.of(samePartition(Topics.CALL_TIMELINE, refused),
                samePartition(Topics.CALL_TIMELINE, refused));
        // when
        TestKafka.produce(Topics.CALL_TIMELINE, refused, List.of(timeline(refused, "tenant-a", "+1".repeat(200))));
        TestKafka.produce(Topics.CALL_TIMELINE, next.get(0), List.of(timeline(next.get(0), "tenant-b", "+1")));
        TestKafka.produce(Topics.CALL_TIMELINE, next.get(1), List.of(timeline(next.get(1), "tenant-c", "+1")));
        // then
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(db.fetchCount(CALLS, CALLS.CALL_ID.in(next))).isEqualTo(2));
        assertThat(db.fetchExists(CALLS, CALLS.CALL_ID.eq(refused))).isFalse();
        assertThat(quarantined(Topics.CALL_TIMELINE, refused)).singleElement().satisfies(record -> {
            assertThat(record.getReasonCode()).isEqualTo(QuarantineReason.REJECTED);
            assertThat(record.getReason()).contains("SQLState 22001");
            assertThat(record.getValue()).isNotNull();
        });
    }

    @Test
    void anEntryWithTextPostgresqlRefusesInTheMiddleOfABatchIsQuarantinedAndTheOthersAreProjected() {
        // given: entries of three calls on one partition, committed in one transaction so the projector gets them
        // in one batch; the middle one's event type carries a NUL character, which PostgreSQL text cannot hold (in
        // a JDBC batch it breaks the statement off with a protocol violation instead of refusing the row)
        String refused = UUID.randomUUID().toString();
        List<String> others = List.of(samePartition(Topics.CALL_TIMELINE_ENTRIES, refused),
                samePartition(Topics.CALL_TIMELINE_ENTRIES, refused));
        TimelineEntry bad = entry(refused);
        bad.setEventType("CallRequested\u0000");
        // when
        inOneTransaction(List.of(entry(others.get(0)), bad, entry(others.get(1))));
        // then
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(db.fetchCount(TIMELINE_ENTRIES, TIMELINE_ENTRIES.CALL_ID.in(others))).isEqualTo(2));
        assertThat(db.fetchExists(TIMELINE_ENTRIES, TIMELINE_ENTRIES.CALL_ID.eq(refused))).isFalse();
        assertThat(quarantined(Topics.CALL_TIMELINE_ENTRIES, refused)).singleElement().satisfies(record -> {
            assertThat(record.getReasonCode()).isEqualTo(QuarantineReason.REJECTED);
            assertThat(record.getReason()).contains("SQLState 22");
        });
    }

    @Test
    void aRecordThatDoesNotDecodeIsQuarantinedAndTheNextEntriesAreProjected() {
        // given: bytes that are no TimelineEntry, then a valid entry on the same partition
        String garbled = UUID.randomUUID().toString();
        String callId = samePartition(Topics.CALL_TIMELINE_ENTRIES, garbled);
        // when
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            producer.send(new ProducerRecord<>(Topics.CALL_TIMELINE_ENTRIES.name(),
                    garbled.getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        TestKafka.produce(Topics.CALL_TIMELINE_ENTRIES, callId, List.of(entry(callId)));
        // then
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(db.fetchCount(TIMELINE_ENTRIES, TIMELINE_ENTRIES.CALL_ID.eq(callId))).isEqualTo(1));
        assertThat(quarantined(Topics.CALL_TIMELINE_ENTRIES, garbled)).singleElement()
                .satisfies(record -> assertThat(record.getReasonCode()).isEqualTo(QuarantineReason.UNDECODABLE));
    }

    /** Writes the entries in one producer transaction: a read_committed consumer gets them together. */
    private static void inOneTransaction(List<TimelineEntry> entries) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.brokers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "projection-batch-" + UUID.randomUUID()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            Topic<String, TimelineEntry> topic = Topics.CALL_TIMELINE_ENTRIES;
            entries.forEach(entry -> producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer()
                    .serialize(topic.name(), entry.getCallId()), topic.valueSerde().serializer()
                    .serialize(topic.name(), entry))));
            producer.commitTransaction();
        }
    }

    /** A new call id whose records land on the partition of {@code key}'s. */
    private static String samePartition(Topic<String, ?> topic, String key) {
        while (true) {
            String candidate = UUID.randomUUID().toString();
            if (partition(topic, candidate) == partition(topic, key)) {
                return candidate;
            }
        }
    }

    private static int partition(Topic<String, ?> topic, String key) {
        byte[] bytes = topic.keySerde().serializer().serialize(topic.name(), key);
        return Utils.toPositive(Utils.murmur2(bytes)) % topic.partitions();
    }

    private static List<QuarantinedRecord> quarantined(Topic<String, ?> source, String key) {
        return TestKafka.readAll(Topics.CALL_QUARANTINE).stream().map(Map.Entry::getValue)
                .filter(record -> record.getSourceTopic().equals(source.name()))
                .filter(record -> record.getKey() != null && key.equals(StandardCharsets.UTF_8.decode(
                        record.getKey().duplicate()).toString()))
                .toList();
    }

    private static CallTimeline timeline(String callId, String tenantId, String from) {
        return CallTimeline.newBuilder().setCallId(callId).setTenantId(tenantId).setStatus(CallStatus.REQUESTED)
                .setDirection(CallDirection.INBOUND).setTransport(Transport.WEBSOCKET).setFrom(from)
                .setRequestedAt(Instant.now()).setEntryCount(1).setLastEventId("e1").setLastEventAt(Instant.now())
                .setVersion(1).build();
    }

    private static TimelineEntry entry(String callId) {
        CallEvent event = CallEvent.newBuilder().setEventId(callId + "-1").setCallId(callId).setTenantId("tenant-b")
                .setOccurredAt(Instant.now()).setSource(EventSource.REALTIME_EDGE)
                .setPayload(new CallRequested(CallDirection.INBOUND, Transport.WEBSOCKET, "+1", "+2", Map.of()))
                .build();
        return new TimelineEntry(callId, "tenant-b", 1L, event.getEventId(), "CallRequested",
                event.getOccurredAt(), event);
    }
}
