package io.sipai.dispatcher.instances;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many webhook-dispatcher instances are live, so that each opens only its share of the per-endpoint cap
 * ({@link ConcurrencyShare}) and the cap holds for the whole deployment. The instances are the members of the
 * Streams application's consumer group ({@link Membership}), which Kafka tracks anyway: no extra coordination.
 * The group is counted every {@code refresh} and at once when this instance's tasks change (a rebalance, which is
 * how members joining or leaving show), by a background thread.
 * <p>
 * Why the cap holds: shares of one membership add up to the cap. When an instance leaves, a view that lags only
 * under-uses the cap (a killed instance counts until its session times out). When one joins, the newcomer is the
 * only one whose view is fresh, so it opens nothing ({@link #getAsInt()} is 0) until {@code hold} after it first
 * ran: one refresh, in which every older instance counts it, plus one request (connect and request timeout), in
 * which the requests they opened under their larger share end. A newcomer that finds no other instance when it
 * first runs skips the hold. Not covered: an instance that cannot reach the group coordinator keeps its last count
 * (and a newcomer that cannot count holds, then assumes it is alone); a frozen process that wakes up after losing
 * its membership finishes the requests it had open.
 */
public final class DispatcherInstances implements IntSupplier, AutoCloseable {

    /** The consumer group's members. */
    @FunctionalInterface
    public interface Group extends AutoCloseable {

        /** Client ids of the members, one per stream thread of every live instance; throws when unreachable. */
        List<String> memberClientIds() throws Exception;

        @Override
        default void close() {
        }
    }

    /** How often the background thread looks at the local Streams client (cheap: no request). */
    static final Duration POLL = Duration.ofMillis(100);
    private static final long NOT_YET = Long.MIN_VALUE;
    private static final Logger LOG = LoggerFactory.getLogger(DispatcherInstances.class);

    private final Group group;
    private volatile Supplier<LocalStreams> local = () -> LocalStreams.NONE;
    private final int cap;
    private final long refreshNanos;
    private final long holdNanos;
    private final LongSupplier nanos;
    private volatile Membership membership = Membership.ALONE;
    private volatile int share;
    private LocalStreams seen = LocalStreams.NONE;
    private Set<String> ownClientIds = Set.of();
    private long lastCount = NOT_YET;
    private long runningSince = NOT_YET;
    private long holdUntil;
    private Thread poller;

    /**
     * @param group   the group's members
     * @param cap     {@code WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT}
     * @param refresh how often the group is counted
     * @param hold    how long a newcomer that finds other instances opens nothing
     * @param nanos   a monotonic clock in nanoseconds ({@code System::nanoTime}): the hold is real time, whatever
     *                clock the dispatcher schedules with
     */
    public DispatcherInstances(Group group, int cap, Duration refresh, Duration hold, LongSupplier nanos) {
        this.group = group;
        this.cap = cap;
        this.refreshNanos = refresh.toNanos();
        this.holdNanos = hold.toNanos();
        this.nanos = nanos;
    }

    /** Watches this instance's Streams client (until then it counts as not running). */
    public DispatcherInstances watch(Supplier<LocalStreams> streams) {
        this.local = streams;
        return this;
    }

    /** Starts the background thread. */
    public synchronized DispatcherInstances start() {
        if (poller == null) {
            poller = Thread.ofPlatform().daemon().name("webhook-dispatcher-instances").start(this::loop);
        }
        return this;
    }

    /** The requests per endpoint this instance may have open now: 0 before it runs and while it holds. */
    @Override
    public int getAsInt() {
        return share;
    }

    /** The instances as last counted. */
    public Membership membership() {
        return membership;
    }

    /** One step of the background thread: counts when due or when the local tasks changed, then sets the share. */
    synchronized void poll() {
        long now = nanos.getAsLong();
        LocalStreams current = local.get();
        boolean newRun = current.run() != seen.run();
        if (newRun) {
            runningSince = NOT_YET;
            ownClientIds = Set.of();
        }
        if (!current.memberClientIds().isEmpty()) {
            // Kept while the client is between states (shutting down): its members are still in the group.
            ownClientIds = current.memberClientIds();
        }
        boolean changed = newRun || current.running() != seen.running()
                || !current.activeTasks().equals(seen.activeTasks());
        seen = current;
        boolean due = lastCount == NOT_YET || now - lastCount >= refreshNanos;
        boolean counted = (changed || due) && count(now);
        if (current.running() && runningSince == NOT_YET) {
            // Running means this instance joined and got its tasks, so a count now sees every instance that
            // started with it. When the group cannot be counted, assume others are there and hold.
            runningSince = now;
            holdUntil = !counted || membership.others() ? now + holdNanos : now;
            if (holdUntil > now) {
                LOG.info("other webhook-dispatcher instances are live: this one opens no request for {} ms, until "
                        + "they have counted it", TimeUnit.NANOSECONDS.toMillis(holdNanos));
            }
        }
        int next = runningSince == NOT_YET || now - holdUntil < 0 ? 0 : membership.share(cap);
        if (next != share && next > 0) {
            LOG.info("{} webhook-dispatcher instance(s), this one ranked {}: it opens up to {} of the {} requests "
                    + "per endpoint", membership.count(), membership.rank(), next, cap);
        }
        share = next;
    }

    private boolean count(long now) {
        lastCount = now;
        try {
            membership = Membership.of(group.memberClientIds(), ownClientIds);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.debug("could not count webhook-dispatcher instances, keeping {}: {}", membership, e.toString());
            return false;
        }
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                poll();
            } catch (RuntimeException e) {
                // The local Streams client may be between states; the next step looks again.
                LOG.debug("instance count step failed: {}", e.toString());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.interrupt();
        }
        group.close();
    }
}
