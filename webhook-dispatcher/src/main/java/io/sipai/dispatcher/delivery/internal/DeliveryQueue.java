package io.sipai.dispatcher.delivery.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

import io.sipai.schemas.Topics;
import io.sipai.webhook.WebhookDelivery;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The deliveries of one call to one subscription that are not done yet, oldest first. Only the head is ever
 * attempted: it is either waiting until {@link #dueAt} or in flight as {@link #inFlightId}. Stored in a state
 * store with a changelog, so retry timers and queued deliveries survive restarts.
 */
public final class DeliveryQueue {

    private static final byte FORMAT = 1;

    private final Deque<WebhookDelivery> items;
    private long dueAt;
    private String inFlightId;
    private long inFlightDeadline;

    public DeliveryQueue() {
        this(new ArrayDeque<>(), 0, null, 0);
    }

    private DeliveryQueue(Deque<WebhookDelivery> items, long dueAt, String inFlightId, long inFlightDeadline) {
        this.items = items;
        this.dueAt = dueAt;
        this.inFlightId = inFlightId;
        this.inFlightDeadline = inFlightDeadline;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public int size() {
        return items.size();
    }

    public void add(WebhookDelivery delivery) {
        items.addLast(delivery);
    }

    public WebhookDelivery head() {
        return items.peekFirst();
    }

    /** Drops the head; the next one is due at {@code now}. */
    public WebhookDelivery pop(long now) {
        WebhookDelivery head = items.pollFirst();
        inFlightId = null;
        inFlightDeadline = 0;
        dueAt = now;
        return head;
    }

    /** The head failed and waits for its retry. */
    public void waitUntil(long at, int attempts, String lastError) {
        WebhookDelivery head = items.pollFirst();
        head.setAttempts(attempts);
        head.setLastError(lastError);
        items.addFirst(head);
        inFlightId = null;
        inFlightDeadline = 0;
        dueAt = at;
    }

    /** The head was handed to the worker. */
    public void inFlight(String attemptId, long deadline) {
        inFlightId = attemptId;
        inFlightDeadline = deadline;
    }

    public long dueAt() {
        return dueAt;
    }

    public String inFlightId() {
        return inFlightId;
    }

    public long inFlightDeadline() {
        return inFlightDeadline;
    }

    /** The store serde: a format byte, the head state, then the deliveries in their registry encoding. */
    public static Serde<DeliveryQueue> serde() {
        Serializer<WebhookDelivery> deliveries = Topics.WEBHOOK_OUTBOX.valueSerde().serializer();
        Deserializer<WebhookDelivery> reader = Topics.WEBHOOK_OUTBOX.valueSerde().deserializer();
        return Serdes.serdeFrom((topic, queue) -> write(queue, deliveries, topic),
                (topic, bytes) -> bytes == null ? null : read(bytes, reader, topic));
    }

    private static byte[] write(DeliveryQueue queue, Serializer<WebhookDelivery> deliveries, String topic) {
        if (queue == null) {
            return null;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(FORMAT);
            out.writeLong(queue.dueAt);
            out.writeUTF(queue.inFlightId == null ? "" : queue.inFlightId);
            out.writeLong(queue.inFlightDeadline);
            out.writeInt(queue.items.size());
            for (WebhookDelivery delivery : queue.items) {
                byte[] bytes = deliveries.serialize(topic, delivery);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private static DeliveryQueue read(byte[] bytes, Deserializer<WebhookDelivery> reader, String topic) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("unknown delivery queue format " + format);
            }
            long dueAt = in.readLong();
            String inFlight = in.readUTF();
            long deadline = in.readLong();
            int count = in.readInt();
            Deque<WebhookDelivery> items = new ArrayDeque<>(count);
            for (int i = 0; i < count; i++) {
                byte[] item = new byte[in.readInt()];
                in.readFully(item);
                items.addLast(reader.deserialize(topic, item));
            }
            return new DeliveryQueue(items, dueAt, inFlight.isEmpty() ? null : inFlight, deadline);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
