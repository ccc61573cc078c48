package io.sipai.processors.admission.internal;

import java.time.Duration;

/**
 * Tells when the silence of an edge-held slot means its realtime-edge node is gone, and not that this processor or
 * its input stalled. A slot's heartbeats reach the processor only through {@code call.admission.v1} and this task,
 * so a missing heartbeat proves nothing while either was stuck; declaring such calls EDGE_LOST would end live
 * calls. Three things restart the heartbeat clock of every edge-held slot, so each edge gets a full timeout to be
 * heard again:
 * <ul>
 *   <li>the task starts (first start, failover, rebalance, restore): heartbeats sent while no instance ran it are
 *       still to be read;</li>
 *   <li>the wall-clock punctuations came more than half a timeout apart: this instance was frozen (SIGSTOP, a long
 *       GC, a commit blocked on a broker) and has a backlog to read;</li>
 *   <li>a lease is declared lost only while the admission log is seen to flow: some command was read after the
 *       lease ran out, and none of the gaps between commands read since half a timeout before it was longer than
 *       half a timeout (an unreachable or frozen partition leader shows as such a gap). When nothing at all
 *       arrives, which is also what the only edge node dying looks like, the lease is declared lost one more
 *       timeout later.</li>
 * </ul>
 * So a call whose edge died ends between one and two timeouts after its last heartbeat (one when other traffic
 * flows), and never because of a stall shorter than a timeout. State is in memory on purpose: it describes this
 * instance's view of its input, and a new task starts with a fresh clock. Not thread-safe: used by the one stream
 * thread that runs the admission task.
 */
final class EdgeClock {

    private final long timeout;
    private final long stallGap;
    private long restartedAt;
    private long lastTickAt;
    private long lastInputAt;
    private long inputFlowingSince;

    /** A clock of a task that starts at {@code now}: every edge-held slot gets a full timeout from now. */
    EdgeClock(Duration heartbeatTimeout, long now) {
        this.timeout = heartbeatTimeout.toMillis();
        this.stallGap = timeout / 2;
        this.restartedAt = now;
        this.lastTickAt = now;
        this.lastInputAt = now;
        this.inputFlowingSince = now;
    }

    /** A command was read at {@code now}. */
    void input(long now) {
        if (now - lastInputAt > stallGap) {
            inputFlowingSince = now;
        }
        lastInputAt = Math.max(lastInputAt, now);
    }

    /** The expiry punctuation runs at {@code now}; a long gap since the last one means this instance stalled. */
    void tick(long now) {
        if (now - lastTickAt > stallGap) {
            restartedAt = now;
        }
        lastTickAt = Math.max(lastTickAt, now);
    }

    /** When the heartbeat clocks last restarted. */
    long restartedAt() {
        return restartedAt;
    }

    /** Whether an edge-held slot last heartbeated at {@code lastHeartbeatAt} counts as lost at {@code now}. */
    boolean lost(long lastHeartbeatAt, long now) {
        long leaseEnd = Math.max(lastHeartbeatAt, restartedAt) + timeout;
        if (now < leaseEnd) {
            return false;
        }
        if (now >= leaseEnd + timeout) {
            return true;
        }
        return lastInputAt >= leaseEnd && inputFlowingSince <= leaseEnd - stallGap;
    }
}
