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
 * under-uses the cap (a killed instance counts until its session times out; a stopping one stops opening requests,
 * then leaves the group at once), and a larger share is taken only {@code raiseDelay} (one request) after a count
 * first allowed it, when the requests the departed instance had open have ended. When one joins, the newcomer is the
 * only one whose view is fresh, so it opens nothing ({@link #getAsInt()} is 0) until {@code hold} after it first
 * ran: one refresh, in which every older instance counts it, plus one request (connect and request timeout), in
 * which the requests they opened under their larger share end. A newcomer that finds no other instance when it
 * first runs skips the hold. A count is trusted for {@code validity} (one refresh and the time a count may take): an
 * instance whose last successful count is older opens nothing until it counts again, so an instance that cannot
 * reach the group coordinator while a newcomer joins has dropped its larger share before the newcomer's hold ends
 * (the hold is {@code validity} plus one request). Not covered: a frozen process that wakes up after losing its
 * membership finishes the requests it had open.
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
    /** The longest a count of the group may take before it counts as failed. */
    public static final Duration COUNT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final long NOT_YET = Long.MIN_VALUE;
    private static final Logger LOG = LoggerFactory.getLogger(DispatcherInstances.class);

    private final Group group;
    private volatile Supplier<LocalStreams> local = () -> LocalStreams.NONE;
    private final int cap;
    private final long refreshNanos;
    private final long holdNanos;
    private final long validityNanos;
    private final LongSupplier nanos;
    private volatile Membership membership = Membership.ALONE;
    private volatile int share;
    private LocalStreams seen = LocalStreams.NONE;
    private Set<String> ownClientIds = Set.of();
    private long nextCount = NOT_YET;
    private volatile long countedAt = NOT_YET;
    private long lastCountStart = NOT_YET;
    private long raiseSince = NOT_YET;
    private final long raiseDelayNanos;
    private long runningSince = NOT_YET;
    private long holdUntil;
    private boolean untrustedLogged;
    private Thread poller;

    /**
     * @param group   the group's members
     * @param cap     {@code WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT}
     * @param refresh  how often the group is counted
     * @param validity how long a successful count is trusted (from when it was asked): past it this instance opens
     *                 nothing until a count succeeds; at least {@code refresh} plus the time a count may take
     * @param hold     how long a newcomer that finds other instances opens nothing: {@code validity} plus one
     *                 request, so that every older instance has counted it or stopped trusting its last count, and
     *                 the requests it opened under its larger share have ended
     * @param raiseDelay how long a larger share waits after a count first allowed it (one request): an instance
     *                 that left, stopped or killed, may still have requests open
     * @param nanos   a monotonic clock in nanoseconds ({@code System::nanoTime}): the hold is real time, whatever
     *                clock the dispatcher schedules with
     */
    public DispatcherInstances(Group group, int cap, Duration refresh, Duration validity, Duration hold,
                               Duration raiseDelay, LongSupplier nanos) {
        this.group = group;
        this.cap = cap;
        this.refreshNanos = refresh.toNanos();
        this.validityNanos = validity.toNanos();
        this.holdNanos = hold.toNanos();
        this.raiseDelayNanos = raiseDelay.toNanos();
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

    /**
     * The requests per endpoint this instance may have open now: 0 before it runs, while it holds, and while its last
     * successful count is older than its validity (checked here, not by the background thread, which may be stuck
     * in a count).
     */
    @Override
    public int getAsInt() {
        int current = share;
        return current > 0 && trusted(nanos.getAsLong()) ? current : 0;
    }

    private boolean trusted(long now) {
        long counted = countedAt;
        return counted != NOT_YET && now - counted <= validityNanos;
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
        boolean due = nextCount == NOT_YET || now - nextCount >= 0;
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
        int target = runningSince == NOT_YET || now - holdUntil < 0 ? 0 : membership.share(cap);
        int next = raised(target, now);
        if (next > 0 && share > 0 && countedAt != NOT_YET && !trusted(now) && !untrustedLogged) {
            LOG.warn("could not count the webhook-dispatcher instances for {} ms: this one opens no request until it "
                    + "can", TimeUnit.NANOSECONDS.toMillis(now - countedAt));
            untrustedLogged = true;
        }
        if (next != share && next > 0) {
            LOG.info("{} webhook-dispatcher instance(s), this one ranked {}: it opens up to {} of the {} requests "
                    + "per endpoint", membership.count(), membership.rank(), next, cap);
        }
        share = next;
        if (counted) {
            // Trusted only now that the share follows the count: getAsInt never pairs the new time with an old share.
            countedAt = lastCountStart;
        }
    }

    /**
     * The share to open now on the way to {@code target}: lower at once, higher only {@code raiseDelay} after the
     * higher target was first seen, so that the requests an instance that left (a stop, a kill) still had open have
     * ended before this one opens its share of them. From nothing at startup the hold has done that already.
     */
    private int raised(int target, long now) {
        if (target <= share || share == 0) {
            raiseSince = NOT_YET;
            return target;
        }
        if (raiseSince == NOT_YET) {
            raiseSince = now;
        }
        return now - raiseSince >= raiseDelayNanos ? target : share;
    }

    private boolean count(long now) {
        // A failed count is tried again sooner: until one succeeds past the validity, this instance opens nothing.
        nextCount = now + RETRY.toNanos();
        try {
            membership = Membership.of(group.memberClientIds(), ownClientIds);
            // From when it was asked: members that joined while the answer was on its way may be missing from it.
            lastCountStart = now;
            nextCount = now + refreshNanos;
            untrustedLogged = false;
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
