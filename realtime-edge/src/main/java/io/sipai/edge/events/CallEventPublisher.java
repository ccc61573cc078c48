package io.sipai.edge.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.edge.events.internal.EventJournal;
import io.sipai.edge.events.internal.PublisherMeters;
import io.sipai.events.CallEvent;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.ReadinessCheck;
import io.sipai.runtime.kafka.KafkaClients;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes call events to {@code call.events.v1} (key callId) without ever blocking an audio thread. Callers append
 * to one in-memory queue; one publisher thread hands records to an idempotent producer ({@code acks=all}) that
 * retries in order until the broker acknowledges (no delivery timeout), so the events of a call keep their order
 * and a broker outage delays them instead of dropping them. Ordinary events are bounded by
 * {@code EDGE_EVENT_QUEUE_CAPACITY}; terminal ones (CallEnded) bypass the bound. A write that fails anyway (the
 * producer blocked longer than its 10 s on a full buffer or missing metadata) is queued again.
 *
 * <p>With a journal ({@code EDGE_JOURNAL_DIR}, {@link EventJournal}) every event is appended to it before it is
 * queued and acknowledged in it once the broker acknowledged it; {@link #replayJournal} sends what a previous
 * process left unacknowledged before the node takes calls. Without one, what is still unsent when the process stops
 * is lost (and counted: {@link PublisherMeters}).
 */
public final class CallEventPublisher implements ReadinessCheck, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallEventPublisher.class);
    private static final String TOPIC = Topics.CALL_EVENTS.name();
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * A short linger batches the events of many calls into one request; a send blocks the publisher thread (never
     * an audio thread) for at most 10 s when the broker is gone and the buffer is full; no delivery timeout.
     */
    private static final Map<String, Object> PRODUCER_TUNING = Map.of(ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);

    private final Producer<String, byte[]> producer;
    private final EventJournal journal;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ordinaryQueued = new AtomicInteger();
    private final AtomicLong unacknowledged = new AtomicLong();
    private final AtomicLong replaying = new AtomicLong();
    private final int capacity;
    private final PublisherMeters meters;
    private final CallEventMeters calls;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param kafka   the service's Kafka connection and security settings
     * @param journal the journal, or null to keep events in memory only
     */
    public CallEventPublisher(KafkaSettings kafka, String clientId, int capacity, EventJournal journal,
                              MeterRegistry meters) {
        this(new KafkaProducer<>(KafkaClients.producer(kafka, clientId, PRODUCER_TUNING), new StringSerializer(),
                new ByteArraySerializer()), capacity, journal, meters);
    }

    CallEventPublisher(Producer<String, byte[]> producer, int capacity, EventJournal journal, MeterRegistry meters) {
        this.producer = producer;
        this.journal = journal;
        this.capacity = capacity;
        this.meters = PublisherMeters.register(meters, queue::size, unacknowledged::get, journal);
        this.calls = new CallEventMeters(meters);
        this.thread = Thread.ofPlatform().name("edge-event-publisher").daemon().start(this::run);
    }

    /** Queues an ordinary event; returns false (and counts it) when the queue is full. Never blocks. */
    public boolean publish(CallEvent event) {
        return publish(event, null);
    }

    /** As {@link #publish(CallEvent)}, the record carrying {@code traceparent} (W3C) when it is not null. */
    public boolean publish(CallEvent event, String traceparent) {
        if (ordinaryQueued.incrementAndGet() > capacity) {
            ordinaryQueued.decrementAndGet();
            meters.dropped().increment();
            LOG.warn("call event queue full ({} events): dropped {} of call {}", capacity,
                    event.getPayload().getClass().getSimpleName(), event.getCallId());
            return false;
        }
        return enqueue(event, null, true, traceparent);
    }

    /**
     * Queues an event that later events of other producers depend on (CallRequested before the admission
     * processor's CallAdmitted) and completes when the broker acknowledged it, or fails with the producer's error.
     * Callers wait for it before they cause those events, so the log holds the cause first. Never blocks.
     */
    public CompletableFuture<Void> publishAcknowledged(CallEvent event) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        ordinaryQueued.incrementAndGet();
        if (!enqueue(event, acknowledged, true, null)) {
            acknowledged.completeExceptionally(new IllegalArgumentException("event cannot be serialized"));
        }
        LockSupport.unpark(thread);
        return acknowledged;
    }

    /** Queues a terminal event (CallEnded, RecordingAvailable) that is never dropped. Never blocks. */
    public void publishTerminal(CallEvent event) {
        publishTerminal(event, null);
    }

    /** As {@link #publishTerminal(CallEvent)}, the record carrying {@code traceparent} when it is not null. */
    public void publishTerminal(CallEvent event, String traceparent) {
        enqueue(event, null, false, traceparent);
        LockSupport.unpark(thread);
    }

    /**
     * Sends the events a previous process left unacknowledged in the journal, ahead of everything else, and waits
     * up to {@code timeout} for the broker to acknowledge them; the node is not ready until it has.
     *
     * @return whether all of them were acknowledged in time
     */
    public boolean replayJournal(Duration timeout) {
        if (journal == null || journal.recovered().isEmpty()) {
            return true;
        }
        int count = 0;
        for (EventJournal.Entry entry : journal.recovered()) {
            CallEvent event;
            try {
                event = Topics.CALL_EVENTS.valueSerde().deserializer().deserialize(TOPIC, entry.payload());
            } catch (RuntimeException e) {
                LOG.error("journal record at {} does not decode, skipped: {}", entry.position(), e.toString());
                journal.acknowledge(entry.position());
                meters.dropped().increment();
                continue;
            }
            replaying.incrementAndGet();
            unacknowledged.incrementAndGet();
            queue.add(new Pending(event.getCallId(), type(event), entry.payload(), null, null, entry.position(),
                    false, true));
            count++;
        }
        meters.replayed().increment(count);
        LOG.info("re-sending {} call events the previous process left unacknowledged in the journal", count);
        LockSupport.unpark(thread);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (replaying.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return replaying.get() == 0;
    }

    @Override
    public String name() {
        return "event-journal-replay";
    }

    /** Not ready while events of a previous process are still being re-sent. */
    @Override
    public boolean ready() {
        return replaying.get() == 0;
    }

    /** Events queued or handed to the producer and not yet acknowledged. */
    public long pending() {
        return unacknowledged.get();
    }

    /** Waits until every queued event was acknowledged by the broker, or the timeout passed. */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending() > 0 && System.nanoTime() < deadline) {
            LockSupport.unpark(thread);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return pending() == 0;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Waits up to {@code flushTimeout} for the queued events, then stops; what is left is counted or journaled. */
    void close(Duration flushTimeout) {
        flush(flushTimeout);
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
        long unsent = pending();
        if (journal != null) {
            if (unsent > 0) {
                LOG.warn("{} call events not acknowledged before shutdown stay in the journal and are sent at the "
                        + "next start", unsent);
            }
            journal.close();
        } else if (unsent > 0) {
            meters.dropped().increment(unsent);
            LOG.error("{} call events could not be written before shutdown", unsent);
        }
    }

    /** Serializes, journals and queues; false when the event cannot be serialized (counted as dropped). */
    private boolean enqueue(CallEvent event, CompletableFuture<Void> acknowledged, boolean counted,
                            String traceparent) {
        calls.observe(event);
        byte[] value;
        try {
            value = Topics.CALL_EVENTS.valueSerde().serializer().serialize(TOPIC, event);
        } catch (RuntimeException e) {
            LOG.error("{} of call {} cannot be serialized, dropped: {}", type(event), event.getCallId(), e.toString());
            meters.dropped().increment();
            if (counted) {
                ordinaryQueued.decrementAndGet();
            }
            return false;
        }
        unacknowledged.incrementAndGet();
        if (journal == null) {
            queue.add(new Pending(event.getCallId(), type(event), value, traceparent, acknowledged, -1, counted,
                    false));
            return true;
        }
        // One lock for append and enqueue, so the journal and the queue hold the events in the same order.
        synchronized (journal) {
            long position = journal.append(value);
            if (position < 0) {
                meters.unjournaled().increment();
            }
            queue.add(new Pending(event.getCallId(), type(event), value, traceparent, acknowledged, position,
                    counted, false));
        }
        return true;
    }

    private static String type(CallEvent event) {
        return event.getPayload().getClass().getSimpleName();
    }

    private void run() {
        while (running) {
            Pending pending = queue.poll();
            if (pending == null) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            if (pending.counted()) {
                ordinaryQueued.decrementAndGet();
            }
            send(pending);
        }
    }

    private void send(Pending pending) {
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPIC, pending.callId(), pending.value());
            if (pending.traceparent() != null) {
                record.headers().add(CallTracing.TRACEPARENT,
                        pending.traceparent().getBytes(StandardCharsets.US_ASCII));
            }
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    done(pending);
                    if (pending.acknowledged() != null) {
                        pending.acknowledged().complete(null);
                    }
                } else {
                    onFailure(pending, error);
                }
            });
        } catch (RuntimeException e) {
            onFailure(pending, e);
        }
    }

    private void onFailure(Pending pending, Exception error) {
        meters.failed().increment();
        if (!running) {
            // Shutting down: close() counts what is left (or leaves it in the journal).
            return;
        }
        if (pending.acknowledged() != null) {
            // Its caller refuses the call and writes no end for it unless this event was written: dropped, nothing
            // was requested, so no timeline is left open.
            pending.acknowledged().completeExceptionally(error);
            done(pending);
        } else if (error instanceof RetriableException) {
            LOG.warn("writing {} of call {} failed, retrying: {}", pending.type(), pending.callId(), error.toString());
            queue.add(pending.again());
        } else {
            LOG.error("writing {} of call {} failed for good, dropped: {}", pending.type(), pending.callId(),
                    error.toString());
            meters.dropped().increment();
            done(pending);
        }
    }

    /** The event needs no more sending: acknowledged, or given up for good. */
    private void done(Pending pending) {
        if (pending.position() >= 0) {
            journal.acknowledge(pending.position());
        }
        unacknowledged.decrementAndGet();
        if (pending.replay()) {
            replaying.decrementAndGet();
        }
    }

    /**
     * A queued event: its key and serialized value, its {@code traceparent} (null: none), the future its
     * acknowledgement completes ({@link #publishAcknowledged}), its journal position (-1: not journaled), whether it
     * counts against the queue's capacity, and whether it is a re-send of a previous process's event.
     */
    private record Pending(String callId, String type, byte[] value, String traceparent,
                           CompletableFuture<Void> acknowledged, long position, boolean counted, boolean replay) {

        Pending again() {
            return new Pending(callId, type, value, traceparent, acknowledged, position, false, replay);
        }
    }
}
