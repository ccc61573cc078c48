package io.sipai.processors.admission.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The first claim of a call's media that admission recorded, in the {@code admission-media-claims} store (key:
 * callId): the connection that serves the call's media, so its per-call token is used once in the deployment.
 *
 * @param connectionId   the realtime-edge connection that claimed first
 * @param tokenExpiresAt expiry of the token it presented (epoch ms)
 * @param claimedAt      when admission recorded the claim (its wall clock, epoch ms)
 * @param forgetAt       when the claim is forgotten; the {@code admission-media-claim-expiry} index holds this time
 */
public record MediaClaim(String connectionId, long tokenExpiresAt, long claimedAt, long forgetAt) {

    /**
     * Serde for the store and its changelog: a private format (version byte, fields), since the value never leaves
     * this processor; the version byte lets a later format read old changelogs.
     */
    public static final class Serde implements org.apache.kafka.common.serialization.Serde<MediaClaim>,
            Serializer<MediaClaim>, Deserializer<MediaClaim> {

        private static final int FORMAT_VERSION = 1;

        @Override
        public byte[] serialize(String topic, MediaClaim claim) {
            if (claim == null) {
                return null;
            }
            try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
                 DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT_VERSION);
                out.writeUTF(claim.connectionId());
                out.writeLong(claim.tokenExpiresAt());
                out.writeLong(claim.claimedAt());
                out.writeLong(claim.forgetAt());
                out.flush();
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new SerializationException("cannot encode media claim of " + claim.connectionId(), e);
            }
        }

        @Override
        public MediaClaim deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                int version = in.readByte();
                if (version != FORMAT_VERSION) {
                    throw new SerializationException("unknown media claim format " + version);
                }
                return new MediaClaim(in.readUTF(), in.readLong(), in.readLong(), in.readLong());
            } catch (IOException e) {
                throw new SerializationException("cannot decode media claim", e);
            }
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            // Nothing to configure.
        }

        @Override
        public void close() {
            // Stateless.
        }

        @Override
        public Serializer<MediaClaim> serializer() {
            return this;
        }

        @Override
        public Deserializer<MediaClaim> deserializer() {
            return this;
        }
    }
}
