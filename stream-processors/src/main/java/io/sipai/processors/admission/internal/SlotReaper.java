package io.sipai.processors.admission.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;

import io.sipai.common.EndReason;
import io.sipai.events.CallEvent;
import io.sipai.processors.admission.AdmissionSettings;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees slots whose lease ran out and forgets what no longer needs remembering, driven by the admission task's
 * wall-clock punctuation over the {@link ExpiryIndex}, at most {@value #BATCH} due entries per run, so one run never
 * stalls the task; handled entries are deleted, so the next run resumes where this one stopped and a restarted
 * task catches up.
 * <ul>
 *   <li>An edge-held slot (it received a heartbeat) is lost once the {@link EdgeClock} says its realtime-edge node
 *       is gone: the slot is freed and a CallEnded {@code EDGE_LOST} naming the timeout is emitted. Until then its
 *       entry stays in the index and is looked at again by the next run.</li>
 *   <li>A slot that never received a heartbeat is reclaimed after the TTL: SlotReclaimed and a CallEnded
 *       {@code SLOT_EXPIRED}, so the call ends for webhooks too.</li>
 *   <li>Anything else due (remembered decisions, release markers, freed slots) is deleted.</li>
 * </ul>
 * The events go to {@code call.events.v1} (key callId) in the transaction that frees the slot; their eventIds are
 * derived from the callId ({@link AdmissionEvents}), so a run repeated after a crash yields the same events.
 */
final class SlotReaper {

    private static final Logger LOG = LoggerFactory.getLogger(SlotReaper.class);

    /** Most due index entries looked at per run. */
    static final int BATCH = 500;

    private final KeyValueStore<String, Slot> slots;
    private final ExpiryIndex expiry;
    private final Limits limits;
    private final AdmissionSettings settings;
    private final EdgeClock clock;

    SlotReaper(KeyValueStore<String, Slot> slots, ExpiryIndex expiry, Limits limits, AdmissionSettings settings,
               EdgeClock clock) {
        this.slots = slots;
        this.expiry = expiry;
        this.limits = limits;
        this.settings = settings;
        this.clock = clock;
    }

    /** Handles what fell due by {@code now}; events to write go to {@code emit}. */
    void reap(long now, Consumer<CallEvent> emit) {
        if (clock.tick(now)) {
            LOG.info("admission stalled (no expiry run for more than half of TELEPHONY_HEARTBEAT_TIMEOUT_SEC): every "
                    + "edge gets a full timeout to be heard again; {}", clock);
        }
        for (ExpiryIndex.Due due : expiry.due(now, BATCH)) {
            Slot slot = slots.get(due.callId());
            if (slot != null && slot.expiresAt() == due.expiresAt() && slot.status() == SlotStatus.HELD
                    && slot.edgeHeld() && !clock.lost(slot.lastSeenAt(), now)) {
                continue;
            }
            expiry.remove(due.expiresAt(), due.callId());
            if (slot == null || slot.expiresAt() != due.expiresAt()) {
                continue;
            }
            if (slot.status() == SlotStatus.HELD) {
                free(slot, now, emit);
            } else {
                slots.delete(slot.callId());
            }
        }
    }

    private void free(Slot slot, long now, Consumer<CallEvent> emit) {
        limits.add(slot.tenantId(), slot.campaignId(), -1);
        long forgetAt = now + settings.ttl().toMillis();
        slots.put(slot.callId(), slot.with(SlotStatus.RECLAIMED, slot.lastSeenAt(), forgetAt));
        expiry.add(forgetAt, slot.callId());
        if (slot.edgeHeld()) {
            LOG.info("call {} lost its realtime-edge node: last heartbeat at {}, slot freed; {}", slot.callId(),
                    Instant.ofEpochMilli(slot.lastSeenAt()), clock);
            emit.accept(AdmissionEvents.ended(slot, EndReason.EDGE_LOST, edgeLostDetail(slot, now), now));
        } else {
            emit.accept(AdmissionEvents.reclaimed(slot, slot.expiresAt(), now,
                    limits.snapshot(slot.tenantId(), slot.campaignId())));
            emit.accept(AdmissionEvents.ended(slot, EndReason.SLOT_EXPIRED, String.format(Locale.ROOT,
                    "no heartbeat within %d s of the grant (TELEPHONY_SEMAPHORE_TTL_SEC); admission freed the slot",
                    settings.semaphoreTtlSec()), now));
        }
    }

    private String edgeLostDetail(Slot slot, long now) {
        long silentSec = Duration.ofMillis(now - slot.lastSeenAt()).toSeconds();
        return String.format(Locale.ROOT, "no heartbeat from the call's realtime-edge node for %d s "
                + "(TELEPHONY_HEARTBEAT_TIMEOUT_SEC=%d); admission freed the slot", silentSec,
                settings.heartbeatTimeoutSec());
    }
}
