package io.sipai.processors.admission.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import io.sipai.admission.AdmissionDecision;
import io.sipai.schemas.Topics;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link Slot} for the store and its changelog. A private format (version byte, fields, the decision in
 * the contract's Avro encoding) since the value never leaves this processor; the version byte lets a later format
 * read old changelogs. Version 2 added {@link Slot#edgeHeld()}; a version-1 slot counts as edge-held when it was
 * seen after its grant (only a heartbeat does that to a held slot), so an upgrade keeps what it knew.
 */
public final class SlotSerde implements Serde<Slot>, Serializer<Slot>, Deserializer<Slot> {

    private static final int FORMAT_VERSION = 2;
    private static final int FORMAT_VERSION_1 = 1;
    private static final String TOPIC = Topics.CALL_ADMISSION_DECISIONS.name();

    @Override
    public byte[] serialize(String topic, Slot slot) {
        if (slot == null) {
            return null;
        }
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
             DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeUTF(slot.callId());
            out.writeUTF(slot.tenantId());
            writeNullable(out, slot.campaignId());
            writeNullable(out, slot.agentId());
            out.writeUTF(slot.status().name());
            out.writeLong(slot.lastSeenAt());
            out.writeLong(slot.expiresAt());
            byte[] decision = slot.decision() == null ? new byte[0]
                    : Topics.CALL_ADMISSION_DECISIONS.valueSerde().serializer().serialize(TOPIC, slot.decision());
            out.writeInt(decision.length);
            out.write(decision);
            out.writeBoolean(slot.edgeHeld());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("cannot encode slot of " + slot.callId(), e);
        }
    }

    @Override
    public Slot deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readByte();
            if (version != FORMAT_VERSION && version != FORMAT_VERSION_1) {
                throw new SerializationException("unknown slot format " + version);
            }
            String callId = in.readUTF();
            String tenantId = in.readUTF();
            String campaignId = readNullable(in);
            String agentId = readNullable(in);
            SlotStatus status = SlotStatus.valueOf(in.readUTF());
            long lastSeenAt = in.readLong();
            long expiresAt = in.readLong();
            byte[] decisionBytes = new byte[in.readInt()];
            in.readFully(decisionBytes);
            AdmissionDecision decision = decisionBytes.length == 0 ? null
                    : Topics.CALL_ADMISSION_DECISIONS.valueSerde().deserializer().deserialize(TOPIC, decisionBytes);
            boolean edgeHeld = version == FORMAT_VERSION ? in.readBoolean()
                    : status == SlotStatus.HELD && decision != null
                    && lastSeenAt > decision.getDecidedAt().toEpochMilli();
            return new Slot(callId, tenantId, campaignId, agentId, status, lastSeenAt, expiresAt, decision, edgeHeld);
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("cannot decode slot", e);
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // Nothing to configure.
    }

    @Override
    public void close() {
        // Stateless.
    }

    @Override
    public Serializer<Slot> serializer() {
        return this;
    }

    @Override
    public Deserializer<Slot> deserializer() {
        return this;
    }
}
