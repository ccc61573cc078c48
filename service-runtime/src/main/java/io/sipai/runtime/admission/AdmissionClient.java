package io.sipai.runtime.admission;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Heartbeat;
import io.sipai.admission.Rejected;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.AdmissionLimit;
import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.MediaClaim;
import io.sipai.common.Transport;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.runtime.LivenessCheck;
import io.sipai.runtime.ReadinessCheck;
import io.sipai.runtime.kafka.ConsumerLoop;
import io.sipai.runtime.kafka.KafkaClients;
import io.sipai.runtime.kafka.UnprocessableRecordException;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request-reply client of the admission processor, shared by every service that takes call slots (api-gateway for
 * outbound and provider-announced calls, realtime-edge for its own-protocol calls and the heartbeats of live
 * calls). Input: {@link io.sipai.admission.AdmissionDecision}s on {@code call.admission-decisions.v1} (key callId),
 * read by an assigned {@link ConsumerLoop} from the end offsets seen at start, read_committed, every partition, no
 * consumer group, so any instance can ask. Output: {@link AdmissionCommand}s (AcquireSlot, Heartbeat, ReleaseSlot)
 * on {@code call.admission.v1} under {@link Topics#ADMISSION_KEY} with an idempotent, acks=all producer, and the
 * edge's claims of a call's media ({@link #claimMedia}, a Heartbeat carrying a MediaClaim). A decision is
 * matched to its request by commandId and callId. A request without a decision within the timeout fails with
 * {@link AdmissionUnavailableException} and sends a ReleaseSlot, so a grant that arrives late does not hold a slot.
 *
 * <p>Guarantees beyond the request: a ReleaseSlot is re-sent with backoff until the broker acknowledged it, and
 * {@link #close} waits up to {@value #RELEASE_FLUSH_SECONDS} s for the releases still pending ({@link
 * PendingReleases}). A Heartbeat is written once; the caller heartbeats again at its next interval. Admission answers
 * a heartbeat only when it no longer holds the call's slot ({@code Rejected(ALREADY_RELEASED)}, e.g. after it
 * declared the edge lost); such an answer to one of this client's heartbeats goes to the {@link #onSlotLost}
 * listeners.
 */
public final class AdmissionClient implements ReadinessCheck, LivenessCheck, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionClient.class);

    /** Who holds (or asks for) a slot, and which service speaks for it. */
    public record CallSlot(String callId, String tenantId, String campaignId, String agentId, EventSource source) {
    }

    /** Admission answered a heartbeat of the call: it no longer holds the call's slot ({@code detail} says why). */
    public record SlotLost(String callId, String detail) {
    }

    static final int RELEASE_FLUSH_SECONDS = 10;
    private static final long MIN_REQUEST_TIMEOUT_MS = 1000;
    private static final long FAILURE_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final KafkaProducer<String, AdmissionCommand> producer;
    private final ConsumerLoop decisions;
    private final Map<String, CompletableFuture<AdmissionDecision>> pending = new ConcurrentHashMap<>();
    private final SentHeartbeats heartbeats = new SentHeartbeats();
    private final PendingReleases releases;
    private final List<Consumer<SlotLost>> slotLostListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong heartbeatFailures = new AtomicLong();
    private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS);
    private final Duration timeout;
    private final String timeoutSetting;
    private final Clock clock;
    private final AcquireMeters acquires;
    private final CallTracing tracing;

    /**
     * @param clientConfig the service's Kafka connection and security config
     *                     ({@code io.sipai.runtime.KafkaSettings#clientConfig()})
     * @param clientId     prefix of the producer's and consumer's client ids
     * @param timeout      how long {@link #acquire} waits for a decision, positioning on the topic included
     * @param timeoutSetting the setting that configures {@code timeout}, named in the timeout error so an
     *                     operator knows what to change (e.g. {@code EDGE_ADMISSION_TIMEOUT_MS})
     */
    public AdmissionClient(Map<String, Object> clientConfig, String clientId, Duration timeout, String timeoutSetting,
                           Clock clock) {
        this(clientConfig, clientId, timeout, timeoutSetting, clock, new SimpleMeterRegistry());
    }

    /** As above, with the client's meters (pending and retried releases, the decision loop's) in {@code meters}. */
    public AdmissionClient(Map<String, Object> clientConfig, String clientId, Duration timeout, String timeoutSetting,
                           Clock clock, MeterRegistry meters) {
        this(clientConfig, clientId, timeout, timeoutSetting, clock, meters, CallTracing.off());
    }

    /** As above, each slot request an {@code admission.acquire} span of its call's trace ({@code tracing}). */
    public AdmissionClient(Map<String, Object> clientConfig, String clientId, Duration timeout, String timeoutSetting,
                           Clock clock, MeterRegistry meters, CallTracing tracing) {
        this.tracing = tracing;
        this.timeout = timeout;
        this.timeoutSetting = timeoutSetting;
        this.clock = clock;
        this.acquires = new AcquireMeters(meters);
        // A write the broker does not acknowledge within about twice the decision timeout fails: an acquire has
        // given up by then, a heartbeat is superseded by the next one, and a release is re-sent (PendingReleases).
        int requestTimeoutMs = (int) Math.max(timeout.toMillis(), MIN_REQUEST_TIMEOUT_MS);
        this.producer = new KafkaProducer<>(KafkaClients.producer(clientConfig, clientId + "-admission", Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * requestTimeoutMs)),
                new StringSerializer(), Topics.CALL_ADMISSION.valueSerde().serializer());
        this.releases = new PendingReleases((command, acknowledged) -> producer.send(record(command),
                (metadata, error) -> acknowledged.accept(error)), meters);
        this.decisions = ConsumerLoop.assigned(clientId + "-admission-decisions",
                        Topics.CALL_ADMISSION_DECISIONS.name(), ConsumerLoop.From.END)
                .clientConfig(clientConfig).clientId(clientId + "-admission-decisions-" + UUID.randomUUID())
                // A waiting fetch is answered as soon as a commit marker moves the last stable offset, so a long
                // wait adds no latency; a short one only makes every idle instance poll the broker often.
                .overrides(Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500))
                .meters(meters).handler(this::complete).build();
        decisions.start();
    }

    /**
     * Asks for a slot. Completes with the decision (Granted or Rejected), or exceptionally with an
     * {@link AdmissionUnavailableException} when the command cannot be written or no decision arrives in time.
     */
    public CompletableFuture<AdmissionDecision> acquire(CallSlot slot, CallDirection direction, Transport transport) {
        Span span = tracing.on() ? tracing.span("admission.acquire", slot.callId(),
                CallTracing.currentOr(slot.callId()), SpanKind.CLIENT).startSpan() : null;
        return ask(command(slot, UUID.randomUUID().toString(), new AcquireSlot(direction, transport)), span, () ->
                release(slot, "no admission decision in time")).whenComplete(acquires::record)
                .whenComplete((decision, failure) -> AcquireMeters.end(span, decision, failure));
    }

    /**
     * Claims the call's media for the connection {@code connectionId}, which presented a valid per-call token
     * expiring at {@code tokenExpiresAt}: admission records the first claim per call for the whole deployment
     * (surviving restarts) and answers every claim with the recorded one. Completes with that answer, whose
     * {@code mediaClaim} names the connection holding the call's media (Granted when it is this one, Rejected when
     * another connection claimed first), or exceptionally with an {@link AdmissionUnavailableException} when the
     * claim cannot be written, no answer arrives in time, or the answer carries no claim (an admission processor
     * that predates claims): the caller must then refuse the connection. Takes, holds and frees no slot.
     */
    public CompletableFuture<AdmissionDecision> claimMedia(CallSlot slot, String connectionId,
                                                           Instant tokenExpiresAt) {
        AdmissionCommand command = AdmissionCommand.newBuilder(command(slot, UUID.randomUUID().toString(),
                new Heartbeat())).setMediaClaim(new MediaClaim(connectionId, tokenExpiresAt)).build();
        return ask(command, null, () -> { }).thenApply(answer -> {
            if (answer.getMediaClaim() == null) {
                throw new AdmissionUnavailableException("admission answered the media claim of call "
                        + slot.callId() + " without a claim: it predates media claims");
            }
            return answer;
        });
    }

    /**
     * Writes {@code command} once positioned (naming {@code span} in its {@code traceparent} when there is one) and
     * waits for its decision; {@code onFailure} runs on a failure.
     */
    private CompletableFuture<AdmissionDecision> ask(AdmissionCommand command, Span span, Runnable onFailure) {
        String callId = command.getCallId();
        CompletableFuture<AdmissionDecision> decision = new CompletableFuture<>();
        String key = callId + "|" + command.getCommandId();
        pending.put(key, decision);
        ProducerRecord<String, AdmissionCommand> record = record(command);
        if (span != null) {
            CallTracing.inject(record.headers(), span.getSpanContext());
        }
        decisions.positioned().thenRun(() -> producer.send(record, (metadata, error) -> {
            if (error != null) {
                decision.completeExceptionally(new AdmissionUnavailableException("admission request for call "
                        + callId + " not written: " + error));
            }
        }));
        return decision.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((result, error) -> {
            pending.remove(key);
            if (error == null) {
                return result;
            }
            onFailure.run();
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            throw cause instanceof AdmissionUnavailableException unavailable ? unavailable
                    : new AdmissionUnavailableException("no admission decision for call " + callId
                    + " within " + timeout.toMillis() + " ms (" + timeoutSetting + ")");
        });
    }

    /** {@link #acquire} for callers on a request thread: waits for the decision. */
    public AdmissionDecision acquireAndWait(CallSlot slot, CallDirection direction, Transport transport) {
        try {
            return acquire(slot, direction, transport).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AdmissionUnavailableException unavailable ? unavailable
                    : new AdmissionUnavailableException("admission request failed: " + e.getCause());
        } catch (TimeoutException e) {
            throw new AdmissionUnavailableException("no admission decision for call " + slot.callId() + " in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdmissionUnavailableException("interrupted while waiting for admission");
        }
    }

    /**
     * Tells admission the call is still alive on this node. Written once: a failed write is logged and the caller's
     * next heartbeat replaces it. Should admission answer that it no longer holds the slot, the {@link #onSlotLost}
     * listeners hear of it.
     */
    public void heartbeat(CallSlot slot) {
        String commandId = UUID.randomUUID().toString();
        heartbeats.sent(slot.callId(), commandId, System.nanoTime());
        try {
            producer.send(record(command(slot, commandId, new Heartbeat())), (metadata, error) -> {
                if (error != null) {
                    heartbeatFailed(error);
                }
            });
        } catch (RuntimeException e) {
            heartbeatFailed(e);
        }
    }

    /** One line per interval for a whole outage, not one per call and heartbeat. */
    private void heartbeatFailed(Exception error) {
        long failures = heartbeatFailures.incrementAndGet();
        long last = lastFailureLog.get();
        long now = System.nanoTime();
        if (now - last >= FAILURE_LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, now)) {
            LOG.warn("heartbeats not written ({} so far; each call heartbeats again at its next interval): {}",
                    failures, error.toString());
        }
    }

    /**
     * Frees the call's slot (harmless when it holds none). Never lost while this client runs: re-sent until the
     * broker acknowledged it, and waited for by {@link #close}.
     */
    public void release(CallSlot slot, String reason) {
        heartbeats.forget(slot.callId());
        releases.add(command(slot, UUID.randomUUID().toString(), new ReleaseSlot(reason)));
    }

    /** Releases written but not yet acknowledged by the broker. */
    public int pendingReleases() {
        return releases.size();
    }

    /**
     * Adds a listener for slots admission no longer holds although this client heartbeats them. Called on the
     * decision reader's thread: it must not block.
     */
    public void onSlotLost(Consumer<SlotLost> listener) {
        slotLostListeners.add(listener);
    }

    @Override
    public String name() {
        return "admission";
    }

    @Override
    public boolean ready() {
        return decisions.positioned().isDone() && decisions.ready();
    }

    @Override
    public boolean alive() {
        return decisions.alive();
    }

    @Override
    public void close() {
        int unwritten = releases.flush(Duration.ofSeconds(RELEASE_FLUSH_SECONDS));
        if (unwritten > 0) {
            LOG.error("{} slot releases were not acknowledged before shutdown; admission frees those slots when their "
                    + "heartbeats stop", unwritten);
        }
        decisions.stop();
        producer.close(Duration.ofSeconds(5));
    }

    private AdmissionCommand command(CallSlot slot, String commandId, Object command) {
        return AdmissionCommand.newBuilder().setCommandId(commandId).setCallId(slot.callId())
                .setTenantId(slot.tenantId()).setCampaignId(slot.campaignId()).setAgentId(slot.agentId())
                .setIssuedAt(clock.instant()).setSource(slot.source()).setCommand(command).build();
    }

    private static ProducerRecord<String, AdmissionCommand> record(AdmissionCommand command) {
        return new ProducerRecord<>(Topics.CALL_ADMISSION.name(), Topics.ADMISSION_KEY, command);
    }

    private void complete(List<ConsumerRecord<byte[], byte[]>> batch) {
        for (int i = 0; i < batch.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = batch.get(i);
            // Most decisions are for other instances' requests: only decode while something may be ours.
            if (record.value() == null || pending.isEmpty() && !heartbeats.watches(key(record))) {
                continue;
            }
            AdmissionDecision decision;
            try {
                decision = Topics.CALL_ADMISSION_DECISIONS.valueSerde().deserializer().deserialize(record.topic(),
                        record.value());
            } catch (SerializationException e) {
                // Not ours to quarantine (the processor owns the topic): the loop skips and counts it.
                throw new UnprocessableRecordException(i, QuarantineReason.UNDECODABLE,
                        "undecodable admission decision: " + e.getMessage(), e);
            }
            CompletableFuture<AdmissionDecision> waiting =
                    pending.get(decision.getCallId() + "|" + decision.getCommandId());
            if (waiting != null) {
                waiting.complete(decision);
            } else if (decision.getOutcome() instanceof Rejected rejected
                    && rejected.getLimit() == AdmissionLimit.ALREADY_RELEASED
                    && heartbeats.answered(decision.getCallId(), decision.getCommandId())) {
                slotLost(new SlotLost(decision.getCallId(), rejected.getDetail()));
            }
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    private void slotLost(SlotLost lost) {
        LOG.warn("admission no longer holds the slot of call {}: {}", lost.callId(), lost.detail());
        for (Consumer<SlotLost> listener : slotLostListeners) {
            try {
                listener.accept(lost);
            } catch (RuntimeException e) {
                LOG.error("slot-lost listener failed for call {}", lost.callId(), e);
            }
        }
    }
}
