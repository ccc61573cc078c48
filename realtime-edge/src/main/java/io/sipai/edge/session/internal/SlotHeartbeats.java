package io.sipai.edge.session.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.sipai.runtime.admission.AdmissionClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Heartbeats the admission slot of every live call on this node every {@code EDGE_HEARTBEAT_INTERVAL_SEC} (5 s), so
 * admission keeps the slots of calls that are still running; when a call's heartbeats stop for
 * TELEPHONY_HEARTBEAT_TIMEOUT_SEC (20 s) admission takes this node for lost, frees the slot and ends the call
 * EDGE_LOST, so the interval must stay well below that timeout (a few heartbeats may fail in a row). A failed
 * heartbeat is simply sent again at the next interval. When admission answers a heartbeat that it no longer holds
 * the slot, the call ends at once ({@link CallLifecycle#slotLost}): it would otherwise run on without a slot.
 */
public final class SlotHeartbeats implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SlotHeartbeats.class);

    private final CallRegistry registry;
    private final AdmissionClient admission;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public SlotHeartbeats(CallRegistry registry, AdmissionClient admission, Duration interval) {
        this.registry = registry;
        this.admission = admission;
        this.interval = interval;
        admission.onSlotLost(this::slotLost);
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("edge-heartbeats").daemon()
                .factory());
        timer.scheduleAtFixedRate(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }

    private void slotLost(AdmissionClient.SlotLost lost) {
        CallLifecycle call = registry.find(lost.callId());
        if (call != null && call.holdsSlot()) {
            call.slotLost(lost.detail());
        }
    }

    private void beat() {
        try {
            for (CallLifecycle call : registry.live()) {
                if (call.holdsSlot() && !call.ended()) {
                    admission.heartbeat(call.context().slot());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("heartbeat round failed: {}", e.toString());
        }
    }
}
