package io.sipai.gateway.calls.internal;

import java.time.Duration;

import org.slf4j.Logger;

/**
 * The ticks of a live-stream poller that reads PostgreSQL: a tick that fails (the database may be away for a while)
 * makes the next ones wait {@link #RETRY_AFTER_FAILURE} rather than fail every tick, and the outage and the recovery
 * are logged once each. The streams keep their place meanwhile. Used on the poller's one thread only.
 */
final class PollerTicks {

    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(2);

    private final Logger log;
    private final String reads;
    private long retryAt = System.nanoTime();
    private boolean failing;

    /** @param reads what the poller reads, for the log lines ("the timelines", "the calls") */
    PollerTicks(Logger log, String reads) {
        this.log = log;
        this.reads = reads;
    }

    /** Runs one tick's read unless a failure asked to wait. */
    void tick(Runnable read) {
        if (System.nanoTime() < retryAt) {
            return;
        }
        try {
            read.run();
            if (failing) {
                failing = false;
                log.info("live streams read {} again", reads);
            }
        } catch (RuntimeException e) {
            retryAt = System.nanoTime() + RETRY_AFTER_FAILURE.toNanos();
            if (!failing) {
                failing = true;
                log.warn("live streams cannot read {}: {}", reads, e.toString());
            }
        }
    }
}
