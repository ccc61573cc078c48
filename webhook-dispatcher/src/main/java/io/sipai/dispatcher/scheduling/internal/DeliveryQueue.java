package io.sipai.dispatcher.scheduling.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.sipai.dispatcher.delivery.Attempts;
import io.sipai.schemas.Topics;
import io.sipai.webhook.WebhookDelivery;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The deliveries of one call to one subscription that are not done yet, oldest first. Either the head waits until
 * {@link #dueAt}, or a run of the first {@link #runLength} deliveries is in flight as {@link #inFlightId}: the
 * worker sends them one after the other and stops at the first that is not delivered, so order holds while a
 * backlog of one call costs one hand-over instead of one Kafka round trip per delivery. {@link #runDone} counts
 * the run's results already applied; the next expected result carries {@link #expectedAttemptId()}. Stored in a
 * state store with a changelog, so retry timers and queued deliveries survive restarts.
 */
public final class DeliveryQueue {

    private static final byte FORMAT_SINGLE = 1;
    private static final byte FORMAT_RUNS = 2;

    private final Deque<WebhookDelivery> items;
    private long dueAt;
    private String inFlightId;
    private long inFlightDeadline;
    private int runLength;
    private int runDone;

    public DeliveryQueue() {
        this(new ArrayDeque<>(), 0, null, 0, 0, 0);
    }

    private DeliveryQueue(Deque<WebhookDelivery> items, long dueAt, String inFlightId, long inFlightDeadline,
                          int runLength, int runDone) {
        this.items = items;
        this.dueAt = dueAt;
        this.inFlightId = inFlightId;
        this.inFlightDeadline = inFlightDeadline;
        this.runLength = runLength;
        this.runDone = runDone;
    }

    /** The attempt id the next result of the run in flight carries, or null when nothing is in flight. */
    public String expectedAttemptId() {
        return inFlightId == null ? null : Attempts.attemptId(inFlightId, runDone);
    }

    /** The first {@code max} deliveries, head first. */
    public List<WebhookDelivery> firstItems(int max) {
        List<WebhookDelivery> first = new ArrayList<>(Math.min(max, items.size()));
        for (WebhookDelivery delivery : items) {
            if (first.size() == max) {
                break;
            }
            first.add(delivery);
        }
        return first;
    }

    /**
     * The head of the run was delivered: drop it; the run goes on (with a new lost-result deadline) unless this
     * was its last delivery.
     *
     * @return true when the run is still in flight
     */
    public boolean delivered(long now, long nextDeadline) {
        items.pollFirst();
        runDone++;
        if (runDone < runLength && !items.isEmpty()) {
            inFlightDeadline = nextDeadline;
            return true;
        }
        endRun();
        dueAt = now;
        return false;
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

    /** Drops the head and ends any run; the next one is due at {@code now}. */
    public WebhookDelivery pop(long now) {
        WebhookDelivery head = items.pollFirst();
        endRun();
        dueAt = now;
        return head;
    }

    private void endRun() {
        inFlightId = null;
        inFlightDeadline = 0;
        runLength = 0;
        runDone = 0;
    }

    /** The head failed and waits for its retry. */
    public void waitUntil(long at, int attempts, String lastError) {
        WebhookDelivery head = items.pollFirst();
        head.setAttempts(attempts);
        head.setLastError(lastError);
        items.addFirst(head);
        endRun();
        dueAt = at;
    }

    /** The first {@code length} deliveries were handed to the worker as run {@code runId}. */
    public void inFlight(String runId, int length, long deadline) {
        inFlightId = runId;
        inFlightDeadline = deadline;
        runLength = length;
        runDone = 0;
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
            out.writeByte(FORMAT_RUNS);
            out.writeLong(queue.dueAt);
            out.writeUTF(queue.inFlightId == null ? "" : queue.inFlightId);
            out.writeLong(queue.inFlightDeadline);
            out.writeInt(queue.runLength);
            out.writeInt(queue.runDone);
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
            if (format != FORMAT_SINGLE && format != FORMAT_RUNS) {
                throw new IllegalStateException("unknown delivery queue format " + format);
            }
            long dueAt = in.readLong();
            String inFlight = in.readUTF();
            long deadline = in.readLong();
            // A queue written before runs existed had its head alone in flight; its result will not match a
            // run's attempt id, so it is re-sent after the deadline (at-least-once, deduped on webhook-id).
            int runLength = format == FORMAT_RUNS ? in.readInt() : 1;
            int runDone = format == FORMAT_RUNS ? in.readInt() : 0;
            int count = in.readInt();
            Deque<WebhookDelivery> items = new ArrayDeque<>(count);
            for (int i = 0; i < count; i++) {
                byte[] item = new byte[in.readInt()];
                in.readFully(item);
                items.addLast(reader.deserialize(topic, item));
            }
            return new DeliveryQueue(items, dueAt, inFlight.isEmpty() ? null : inFlight, deadline, runLength,
                    runDone);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
