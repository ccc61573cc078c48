package io.sipai.edge.events;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.KafkaClients;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes call events to {@code call.events.v1} (key callId) without ever blocking an audio thread. Callers append
 * to one in-memory queue; one publisher thread hands records to an idempotent producer ({@code acks=all}), so the
 * events of a call keep their order. Ordinary events are bounded by {@code EDGE_EVENT_QUEUE_CAPACITY}: overflow is
 * counted ({@code edge_events_dropped_total}) and logged. Terminal events (CallEnded) bypass the bound and are
 * re-queued when the producer fails, so they are never silently lost; {@link #close} flushes them all.
 */
public final class CallEventPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallEventPublisher.class);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * A short linger batches the events of many calls into one request; a send blocks the publisher thread (never
     * an audio thread) for at most 10 s when the broker is gone, after which the event counts as failed.
     */
    private static final Map<String, Object> PRODUCER_TUNING = Map.of(ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);

    private final Producer<String, CallEvent> producer;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ordinaryQueued = new AtomicInteger();
    private final AtomicLong inFlight = new AtomicLong();
    private final int capacity;
    private final Counter dropped;
    private final Counter failed;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param kafka the service's Kafka connection and security settings */
    public CallEventPublisher(KafkaSettings kafka, String clientId, int capacity, MeterRegistry meters) {
        this(new KafkaProducer<>(KafkaClients.producer(kafka, clientId, PRODUCER_TUNING), new StringSerializer(),
                Topics.CALL_EVENTS.valueSerde().serializer()), capacity, meters);
    }

    CallEventPublisher(Producer<String, CallEvent> producer, int capacity, MeterRegistry meters) {
        this.producer = producer;
        this.capacity = capacity;
        this.dropped = Counter.builder("edge.events.dropped").description("call events dropped on queue overflow")
                .register(meters);
        this.failed = Counter.builder("edge.events.failed").description("call events the producer failed to write")
                .register(meters);
        meters.gauge("edge.events.queued", queue, Queue::size);
        this.thread = Thread.ofPlatform().name("edge-event-publisher").daemon().start(this::run);
    }

    /** Queues an ordinary event; returns false (and counts it) when the queue is full. Never blocks. */
    public boolean publish(CallEvent event) {
        if (ordinaryQueued.incrementAndGet() > capacity) {
            ordinaryQueued.decrementAndGet();
            dropped.increment();
            LOG.warn("call event queue full ({} events): dropped {} of call {}", capacity,
                    event.getPayload().getClass().getSimpleName(), event.getCallId());
            return false;
        }
        queue.add(new Pending(event, null));
        return true;
    }

    /**
     * Queues an event that later events of other producers depend on (CallRequested before the admission
     * processor's CallAdmitted) and completes when the broker acknowledged it, or fails with the producer's error.
     * Callers wait for it before they cause those events, so the log holds the cause first. Never blocks.
     */
    public CompletableFuture<Void> publishAcknowledged(CallEvent event) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        ordinaryQueued.incrementAndGet();
        queue.add(new Pending(event, acknowledged));
        LockSupport.unpark(thread);
        return acknowledged;
    }

    /** Queues a terminal event (CallEnded) that is never dropped. Never blocks. */
    public void publishTerminal(CallEvent event) {
        queue.add(new Pending(event, null));
        LockSupport.unpark(thread);
    }

    /** Events queued or handed to the producer and not yet acknowledged. */
    public long pending() {
        return queue.size() + inFlight.get();
    }

    /** Waits until every queued event was acknowledged by the broker, or the timeout passed. */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending() > 0 && System.nanoTime() < deadline) {
            LockSupport.unpark(thread);
            producer.flush();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return pending() == 0;
    }

    @Override
    public void close() {
        flush(Duration.ofSeconds(30));
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
        if (!queue.isEmpty()) {
            LOG.error("{} call events could not be written before shutdown", queue.size());
        }
    }

    private void run() {
        while (running) {
            Pending pending = queue.poll();
            if (pending == null) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            boolean terminal = pending.event().getPayload() instanceof CallEnded;
            if (!terminal) {
                ordinaryQueued.decrementAndGet();
            }
            send(pending, terminal);
        }
    }

    private void send(Pending pending, boolean terminal) {
        CallEvent event = pending.event();
        inFlight.incrementAndGet();
        try {
            producer.send(new ProducerRecord<>(Topics.CALL_EVENTS.name(), event.getCallId(), event),
                    (metadata, error) -> {
                        if (error != null) {
                            onFailure(pending, terminal, error);
                        } else if (pending.acknowledged() != null) {
                            pending.acknowledged().complete(null);
                        }
                        inFlight.decrementAndGet();
                    });
        } catch (RuntimeException e) {
            onFailure(pending, terminal, e);
            inFlight.decrementAndGet();
        }
    }

    private void onFailure(Pending pending, boolean terminal, Exception error) {
        failed.increment();
        CallEvent event = pending.event();
        if (pending.acknowledged() != null) {
            pending.acknowledged().completeExceptionally(error);
        }
        if (terminal && running) {
            LOG.warn("writing CallEnded of call {} failed, retrying: {}", event.getCallId(), error.toString());
            queue.add(pending);
        } else {
            LOG.error("writing {} of call {} failed: {}", event.getPayload().getClass().getSimpleName(),
                    event.getCallId(), error.toString());
        }
    }

    /** A queued event and, for {@link #publishAcknowledged}, the future its acknowledgement completes. */
    private record Pending(CallEvent event, CompletableFuture<Void> acknowledged) {
    }
}
