package io.sipai.processors.admission.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionCounter;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.admission.Heartbeat;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.AdmissionCounters;
import io.sipai.common.AdmissionLimit;
import io.sipai.processors.admission.AdmissionSettings;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.runtime.kafka.Quarantine;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.CounterKeys;
import io.sipai.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides AcquireSlot commands and applies Heartbeat and ReleaseSlot commands from {@code call.admission.v1}
 * (key {@link Topics#ADMISSION_KEY}, one partition, so this one task sees every command in one total order).
 * Writes {@link AdmissionDecision}s to {@code call.admission-decisions.v1} (key callId), CallAdmitted,
 * CallRejected, SlotReclaimed and CallEnded (EDGE_LOST, SLOT_EXPIRED) to {@code call.events.v1} (key callId), every
 * change of a counter to {@code admission.counters.v1} (key: the counter's store key), and
 * commands it cannot apply to {@code call.quarantine.v1} with their original bytes (values arrive as bytes and are
 * decoded here, so an undecodable command is quarantined in the same transaction as the rest).
 *
 * <p>Guarantees: the check of all three limits and the increment of all three counters happen inside the
 * processing of one record on one task, and under exactly-once the store changes, the outputs and the input offset
 * commit together, so counters never drift from what the command log implies. Decisions are remembered per callId
 * (for {@code TELEPHONY_SEMAPHORE_TTL_SEC} after the call stops holding a slot), so a retried AcquireSlot gets the
 * same answer; a ReleaseSlot for an unknown call leaves a marker for the same time so a late AcquireSlot is refused.
 *
 * <p>Leases: a granted slot lasts the TTL; its first Heartbeat makes it edge-held, and from then on it lasts
 * {@code TELEPHONY_HEARTBEAT_TIMEOUT_SEC} after the last heartbeat. A Heartbeat for a call that holds no slot is
 * answered {@code Rejected(ALREADY_RELEASED)} (commandId = the heartbeat's), so its edge ends the call; heartbeats
 * of held slots are not answered. Leases run out by a wall-clock punctuator ({@link SlotReaper}), so that works
 * with no input traffic at all, and never because this task or its input stalled ({@link EdgeClock}).
 *
 * <p>Media claims: a command carrying {@code mediaClaim} is a realtime-edge connection claiming the call's media
 * with its per-call token; {@link MediaClaims} decides it (first claim per call wins) and answers it on the
 * decisions topic, and the same punctuation forgets expired claims.
 */
public final class AdmissionProcessor extends ContextualProcessor<String, byte[], String, SpecificRecord> {

    /** How often the punctuator looks for expired leases. */
    public static final Duration REAP_INTERVAL = Duration.ofSeconds(1);
    /** Most expiry entries handled per punctuation, so one tick never stalls the task. */
    public static final int REAP_BATCH = SlotReaper.BATCH;

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionProcessor.class);

    private final AdmissionSettings settings;
    private final CallTracing tracing;
    /** The span of the acquire being decided, while it is. */
    private Span deciding;
    private KeyValueStore<String, Slot> slots;
    private ExpiryIndex expiry;
    private Limits limits;
    private EdgeClock clock;
    private MediaClaims mediaClaims;
    private boolean globalPublished;

    public AdmissionProcessor(AdmissionSettings settings, CallTracing tracing) {
        this.tracing = tracing;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        slots = context.getStateStore(AdmissionTopology.SLOTS_STORE);
        KeyValueStore<Bytes, byte[]> expiryStore = context.getStateStore(AdmissionTopology.EXPIRY_STORE);
        expiry = new ExpiryIndex(expiryStore);
        KeyValueStore<String, Integer> counters = context.getStateStore(AdmissionTopology.COUNTERS_STORE);
        ReadOnlyKeyValueStore<String, Integer> campaignLimits =
                context.getStateStore(AdmissionTopology.CAMPAIGN_LIMITS_STORE);
        limits = new Limits(counters, campaignLimits, settings, this::forwardCounter);
        globalPublished = false;
        // Called whenever this task starts on an instance (after its stores are restored): the heartbeat clock of
        // every edge-held slot starts again, since heartbeats sent while no instance ran the task are yet unread.
        clock = new EdgeClock(settings.heartbeatTimeout(), context.currentSystemTimeMs());
        LOG.info("admission task {} started: every edge-held slot gets {} to be heard", context.taskId(),
                settings.heartbeatTimeout());
        KeyValueStore<String, MediaClaim> claims = context.getStateStore(AdmissionTopology.CLAIMS_STORE);
        KeyValueStore<Bytes, byte[]> claimExpiry = context.getStateStore(AdmissionTopology.CLAIM_EXPIRY_STORE);
        mediaClaims = new MediaClaims(claims, new ExpiryIndex(claimExpiry));
        SlotReaper reaper = new SlotReaper(slots, expiry, limits, settings, clock);
        context.schedule(REAP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> {
            if (!globalPublished) {
                // A task starting anew says the limits once, so readers know them before the first call.
                forwardCounter(CounterKeys.GLOBAL, limits.global());
                globalPublished = true;
            }
            reaper.reap(now, event -> forwardEvent(event, now));
            mediaClaims.forget(now);
        });
    }

    @Override
    public void process(Record<String, byte[]> record) {
        long now = context().currentSystemTimeMs();
        clock.input(now, record.timestamp());
        AdmissionCommand command;
        try {
            command = Topics.CALL_ADMISSION.valueSerde().deserializer().deserialize(Topics.CALL_ADMISSION.name(),
                    record.value());
        } catch (SerializationException e) {
            quarantine(record, QuarantineReason.UNDECODABLE, e.getMessage());
            return;
        }
        String problem = malformed(command);
        if (problem != null) {
            quarantine(record, QuarantineReason.MALFORMED, problem);
            return;
        }
        if (command.getMediaClaim() != null) {
            // A claim travels as a Heartbeat only because the command union is closed to new branches: it does not
            // touch the call's slot (the connection that wins heartbeats the slot once its call starts).
            forwardDecision(mediaClaims.claim(command, now, limits.snapshot(command.getTenantId(),
                    command.getCampaignId())), now);
            return;
        }
        CallTracing.withCallId(command.getCallId(), () -> decide(record, command, now));
    }

    private void decide(Record<String, byte[]> record, AdmissionCommand command, long now) {
        switch (command.getCommand()) {
            case AcquireSlot ignored -> traced(record, command, () -> acquire(command, now));
            case Heartbeat ignored -> heartbeat(command, now);
            case ReleaseSlot ignored -> release(command, now);
            default -> quarantine(record, QuarantineReason.MALFORMED,
                    "unknown command " + command.getCommand().getClass().getSimpleName());
        }
    }

    /**
     * Runs {@code decide} inside an {@code admission.decide} span of the call's trace (a child of the requester's
     * span), whose id the CallAdmitted or CallRejected it writes carries on.
     */
    private void traced(Record<String, byte[]> record, AdmissionCommand command, Runnable decide) {
        if (!tracing.on()) {
            decide.run();
            return;
        }
        Span span = tracing.span("admission.decide", command.getCallId(),
                CallTracing.parentOf(record.headers(), command.getCallId()), SpanKind.CONSUMER).startSpan();
        deciding = span;
        try {
            decide.run();
        } finally {
            deciding = null;
            span.end();
        }
    }

    private void acquire(AdmissionCommand command, long now) {
        String callId = command.getCallId();
        Slot known = slots.get(callId);
        if (known != null && known.decision() != null) {
            AdmissionDecision again = AdmissionDecision.newBuilder(known.decision())
                    .setCommandId(command.getCommandId()).build();
            forwardDecision(again, now);
            return;
        }
        if (known != null) {
            // A release came first: refuse, and keep the marker's original forget time. No CallRejected event:
            // the call already ended, and an event after its end would contradict the timeline.
            AdmissionCounters counters = limits.snapshot(known.tenantId(), known.campaignId());
            AdmissionDecision decision = Decisions.rejected(command, now, AdmissionLimit.ALREADY_RELEASED, counters);
            slots.put(callId, known.with(SlotStatus.REJECTED, now, known.expiresAt()).withDecision(decision));
            forwardDecision(decision, now);
            return;
        }
        String tenantId = command.getTenantId();
        String campaignId = command.getCampaignId();
        AdmissionLimit hit = limits.exceeded(tenantId, campaignId);
        long ttl = settings.ttl().toMillis();
        Slot slot;
        if (hit == null) {
            limits.add(tenantId, campaignId, 1);
            long lease = now + ttl;
            AdmissionDecision decision = Decisions.of(command, now, Granted.newBuilder()
                    .setCounters(limits.snapshot(tenantId, campaignId)).setLeaseExpiresAt(Instant.ofEpochMilli(lease))
                    .build());
            slot = newSlot(command, SlotStatus.HELD, now, lease, decision);
        } else {
            AdmissionDecision decision = Decisions.rejected(command, now, hit, limits.snapshot(tenantId, campaignId));
            slot = newSlot(command, SlotStatus.REJECTED, now, now + ttl, decision);
        }
        slots.put(callId, slot);
        expiry.add(slot.expiresAt(), callId);
        forwardDecision(slot.decision(), now);
        forwardEvent(AdmissionEvents.fromDecision(slot, slot.decision()), now);
    }

    private void heartbeat(AdmissionCommand command, long now) {
        Slot slot = slots.get(command.getCallId());
        if (slot == null || slot.status() != SlotStatus.HELD) {
            forwardDecision(Decisions.notHeld(command, now, slot, limits.snapshot(command.getTenantId(),
                    command.getCampaignId())), now);
            return;
        }
        long lease = now + settings.heartbeatTimeout().toMillis();
        expiry.remove(slot.expiresAt(), slot.callId());
        expiry.add(lease, slot.callId());
        slots.put(slot.callId(), slot.heartbeated(now, lease));
    }

    private void release(AdmissionCommand command, long now) {
        String callId = command.getCallId();
        Slot slot = slots.get(callId);
        long forgetAt = now + settings.ttl().toMillis();
        if (slot == null) {
            Slot marker = newSlot(command, SlotStatus.RELEASED_BEFORE_ACQUIRE, now, forgetAt, null);
            slots.put(callId, marker);
            expiry.add(forgetAt, callId);
        } else if (slot.status() == SlotStatus.HELD) {
            limits.add(slot.tenantId(), slot.campaignId(), -1);
            expiry.remove(slot.expiresAt(), callId);
            expiry.add(forgetAt, callId);
            slots.put(callId, slot.with(SlotStatus.RELEASED, now, forgetAt));
        }
        // Any other state: already free; a repeated release changes nothing.
    }

    private static Slot newSlot(AdmissionCommand command, SlotStatus status, long now, long expiresAt,
                                AdmissionDecision decision) {
        return new Slot(command.getCallId(), command.getTenantId(), command.getCampaignId(), command.getAgentId(),
                status, now, expiresAt, decision, false);
    }

    private void forwardDecision(AdmissionDecision decision, long now) {
        context().forward(new Record<>(decision.getCallId(), decision, now), AdmissionTopology.DECISIONS_SINK);
    }

    private void forwardEvent(io.sipai.events.CallEvent event, long now) {
        Record<String, io.sipai.events.CallEvent> out = new Record<>(event.getCallId(), event, now);
        Span span = deciding;
        if (span != null) {
            span.setAttribute("sipai.admission.outcome", event.getPayload().getClass().getSimpleName());
            CallTracing.inject(out.headers(), span.getSpanContext());
        }
        context().forward(out, AdmissionTopology.EVENTS_SINK);
    }

    private static String malformed(AdmissionCommand command) {
        if (command == null) {
            return "empty command";
        }
        if (blank(command.getCommandId())) {
            return "commandId is blank";
        }
        if (blank(command.getCallId())) {
            return "callId is blank";
        }
        if (blank(command.getTenantId())) {
            return "tenantId is blank";
        }
        if (command.getCampaignId() != null && command.getCampaignId().isBlank()) {
            return "campaignId is blank (use null for no campaign)";
        }
        if (command.getMediaClaim() != null && blank(command.getMediaClaim().getConnectionId())) {
            return "mediaClaim.connectionId is blank";
        }
        return null;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private void forwardCounter(String key, AdmissionCounter.Builder counter) {
        long now = context().currentSystemTimeMs();
        context().forward(new Record<>(key, counter.setUpdatedAt(Instant.ofEpochMilli(now)).build(), now),
                AdmissionTopology.COUNTERS_SINK);
    }

    private void quarantine(Record<String, byte[]> record, QuarantineReason reasonCode, String reason) {
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        long now = context().currentSystemTimeMs();
        context().forward(new Record<>(record.key(), Quarantine.of(context(), reasonCode, reason, key,
                record.value()), now), Quarantine.SINK);
    }
}
