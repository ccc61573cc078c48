package io.sipai.processors.admission.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * Tells when the silence of an edge-held slot means its realtime-edge node is gone, and not that this processor or
 * its input stalled or lags. A slot's heartbeats reach the processor only through {@code call.admission.v1} and this
 * task, so a heartbeat not yet read proves nothing; declaring such calls EDGE_LOST would end live calls.
 * <ul>
 *   <li>Evidence comes from the log itself: the command topic has one partition, so once a command written (record
 *       timestamp) after a lease ended has been read, every heartbeat written before it was read too, and a slot
 *       still without one is lost. A task catching up on a backlog (after a failover, a rebalance, a restore or a
 *       stall) reads old commands first and so never declares a lease lost too early.</li>
 *   <li>The heartbeat clock of every edge-held slot also starts again (each edge gets a full timeout to be heard)
 *       when the task starts and when the wall-clock punctuations came more than half a timeout apart (this
 *       instance was frozen: SIGSTOP, a long GC, a commit blocked on a broker).</li>
 *   <li>When nothing at all is read, which is also what the only edge node dying looks like, a lease is declared
 *       lost one more timeout after it ended, provided no command was read for half a timeout.</li>
 * </ul>
 * So a call whose edge died ends one timeout after its last heartbeat while other commands flow, and two when
 * nothing else is written. Producers' clocks are assumed to agree to well within a timeout. State is in memory on
 * purpose: it describes this instance's view of its input, and a new task starts with a fresh clock. Not
 * thread-safe: used by the one stream thread that runs the admission task.
 */
final class EdgeClock {

    private final long timeout;
    private final long stallGap;
    private long restartedAt;
    private long lastTickAt;
    private long lastInputAt;
    private long logTime = Long.MIN_VALUE;

    /** A clock of a task that starts at {@code now}: every edge-held slot gets a full timeout from now. */
    EdgeClock(Duration heartbeatTimeout, long now) {
        this.timeout = heartbeatTimeout.toMillis();
        this.stallGap = timeout / 2;
        this.restartedAt = now;
        this.lastTickAt = now;
        this.lastInputAt = now;
    }

    /** A command written at {@code writtenAt} (its record timestamp) was read at {@code now}. */
    void input(long now, long writtenAt) {
        lastInputAt = Math.max(lastInputAt, now);
        logTime = Math.max(logTime, writtenAt);
    }

    /**
     * The expiry punctuation runs at {@code now}; a long gap since the last one means this instance stalled.
     *
     * @return whether the clocks restarted
     */
    boolean tick(long now) {
        boolean stalled = now - lastTickAt > stallGap;
        if (stalled) {
            restartedAt = now;
        }
        lastTickAt = Math.max(lastTickAt, now);
        return stalled;
    }

    /** Whether an edge-held slot last heartbeated at {@code lastHeartbeatAt} counts as lost at {@code now}. */
    boolean lost(long lastHeartbeatAt, long now) {
        long leaseEnd = Math.max(lastHeartbeatAt, restartedAt) + timeout;
        if (now < leaseEnd) {
            return false;
        }
        if (logTime >= leaseEnd) {
            return true;
        }
        return now >= leaseEnd + timeout && now - lastInputAt >= stallGap;
    }

    @Override
    public String toString() {
        return "EdgeClock[restartedAt=" + Instant.ofEpochMilli(restartedAt) + ", lastTickAt="
                + Instant.ofEpochMilli(lastTickAt) + ", lastInputAt=" + Instant.ofEpochMilli(lastInputAt)
                + ", logTime=" + (logTime == Long.MIN_VALUE ? "none" : Instant.ofEpochMilli(logTime)) + "]";
    }
}
