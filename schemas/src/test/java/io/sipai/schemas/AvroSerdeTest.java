package io.sipai.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.CallStarted;
import io.sipai.events.TranscriptChunk;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30.123Z");

    @Test
    void callEventsOfEveryKindSurviveARoundTrip() {
        var serde = EventSerdes.avro(CallEvent.class);
        for (Object payload : List.of(
                CallStarted.newBuilder().setDirection(CallDirection.INBOUND).setTransport(Transport.TWILIO)
                        .setFrom("+15550001111").setTo("+15550002222").build(),
                TranscriptChunk.newBuilder().setText("tomorrow at ten").setIsFinal(true).setConfidence(0.92f)
                        .setAudioStartMs(1200).setAudioEndMs(2300).setTurn(2).build(),
                CallEnded.newBuilder().setReason(EndReason.CALLER_HANGUP).setDurationMs(61_000).build())) {
            CallEvent event = event(payload);

            byte[] bytes = serde.serializer().serialize(Topics.CALL_EVENTS.name(), event);

            assertThat(bytes[0]).isEqualTo((byte) 0xC3);
            assertThat(bytes[1]).isEqualTo((byte) 0x01);
            assertThat(serde.deserializer().deserialize(Topics.CALL_EVENTS.name(), bytes)).isEqualTo(event);
        }
    }

    @Test
    void randomRecordsOfEveryReleasedVersionDecodeToTheCurrentClass() {
        for (String name : SchemaHistory.schemaNames()) {
            for (SchemaHistory.Version version : SchemaHistory.versions(name)) {
                AvroSerde<?> serde = serdeFor(name);
                BinaryMessageEncoder<GenericRecord> writer = new BinaryMessageEncoder<>(GenericData.get(),
                        version.schema());
                for (Object datum : new RandomData(version.schema(), 20, 42L)) {
                    byte[] bytes = bytes(writer, (GenericRecord) datum);

                    Object decoded = serde.deserialize("t", bytes);

                    assertThat(decoded).as(version.resource()).isInstanceOf(serde.type());
                    // Compared as bytes: Avro's equals cannot compare logical types nested in arrays.
                    assertThat(reencode(serde, roundTrip(serde, decoded))).as(version.resource())
                            .isEqualTo(reencode(serde, decoded));
                }
            }
        }
    }

    @Test
    void aRecordWrittenWithAnOlderVersionDecodesWithDefaults() {
        // Given an older CallEvent whose CallStarted had no edgeNode field
        Schema current = CallEvent.getClassSchema();
        Schema older = new Schema.Parser().parse(current.toString().replaceAll(
                ",\\{\"name\":\"edgeNode\",\"type\":\\[\"null\",\\{[^}]*\\}\\],\"doc\":\"[^\"]*\",\"default\":null\\}", ""));
        assertThat(older.toString()).doesNotContain("edgeNode");
        AvroSerde<CallEvent> serde = new AvroSerde<>(CallEvent.class, List.of(older));
        GenericRecord started = new GenericData.Record(older.getField("payload").schema().getTypes().stream()
                .filter(s -> s.getName().equals("CallStarted")).findFirst().orElseThrow());
        started.put("direction", new GenericData.EnumSymbol(started.getSchema().getField("direction").schema(),
                "OUTBOUND"));
        started.put("transport", new GenericData.EnumSymbol(started.getSchema().getField("transport").schema(),
                "JAMBONZ"));
        GenericRecord envelope = new GenericData.Record(older);
        envelope.put("eventId", "e-1");
        envelope.put("callId", "c-1");
        envelope.put("tenantId", "t-1");
        envelope.put("occurredAt", NOW.toEpochMilli());
        envelope.put("source", new GenericData.EnumSymbol(older.getField("source").schema(), "REALTIME_EDGE"));
        envelope.put("payload", started);

        // When it is read by the current code
        CallEvent decoded = serde.deserialize("t", bytes(new BinaryMessageEncoder<>(GenericData.get(), older),
                envelope));

        // Then the new field takes its default
        CallStarted payload = (CallStarted) decoded.getPayload();
        assertThat(payload.getDirection()).isEqualTo(CallDirection.OUTBOUND);
        assertThat(payload.getEdgeNode()).isNull();
        assertThat(decoded.getOccurredAt()).isEqualTo(NOW.truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void bytesThatAreNotAKnownSchemaFailWithASerializationException() {
        var serde = EventSerdes.avro(CallEvent.class);

        assertThatThrownBy(() -> serde.deserializer().deserialize("call.events.v1", "{\"json\":1}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("call.events.v1");
        byte[] unknownFingerprint = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0};
        assertThatThrownBy(() -> serde.deserializer().deserialize("call.events.v1", unknownFingerprint))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void tombstonesPassThroughAsNull() {
        var serde = EventSerdes.avro(CallEvent.class);

        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    static CallEvent event(Object payload) {
        return CallEvent.newBuilder().setEventId("evt-1").setCallId("call-1").setTenantId("tenant-1")
                .setCampaignId("camp-1").setAgentId(null).setOccurredAt(NOW).setSource(EventSource.REALTIME_EDGE)
                .setPayload(payload).build();
    }

    private static AvroSerde<?> serdeFor(String fullName) {
        return Topics.ALL.stream().map(topic -> (AvroSerde<?>) topic.valueSerde())
                .filter(serde -> SpecificData.get().getSchema(serde.type()).getFullName().equals(fullName))
                .findFirst().orElseThrow();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object roundTrip(AvroSerde serde, Object value) {
        return serde.deserialize("t", serde.serialize("t", (SpecificRecord) value));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] reencode(AvroSerde serde, Object value) {
        return serde.serialize("t", (SpecificRecord) value);
    }

    private static byte[] bytes(BinaryMessageEncoder<GenericRecord> encoder, GenericRecord record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
