package io.sipai.runtime.admission;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.admission.AdmissionCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ReleaseSlot commands of an {@link AdmissionClient} that the broker has not acknowledged yet. A lost release
 * would hold its slot until admission's heartbeat timeout or lease ran out, so each one is re-sent with backoff
 * (100 ms doubling to 5 s, the same commandId) until the broker acknowledged it: with {@code acks=all} it is then in
 * the admission log and applied exactly once (a repeated release changes nothing). Meters: the gauge
 * {@code admission.releases.pending} and the counter {@code admission.releases.retried}.
 */
final class PendingReleases {

    private static final Logger LOG = LoggerFactory.getLogger(PendingReleases.class);
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    /** Sends one command; the callback gets null on acknowledgement, else the error. */
    interface Sender {
        void send(AdmissionCommand command, Consumer<Exception> acknowledged);
    }

    private final Map<String, AdmissionCommand> pending = new ConcurrentHashMap<>();
    private final Sender sender;
    /** The one thread that writes and re-writes releases. */
    private final ScheduledExecutorService timer;
    private final Counter retried;
    private volatile boolean closed;

    PendingReleases(Sender sender, MeterRegistry meters) {
        this.sender = sender;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("admission-releases")
                .daemon().factory());
        Gauge.builder("admission.releases.pending", pending, Map::size)
                .description("slot releases not yet acknowledged by the broker").register(meters);
        this.retried = Counter.builder("admission.releases.retried")
                .description("slot releases sent again after a failed write").register(meters);
    }

    /**
     * Keeps the release until the broker acknowledged it. Sent from the retry thread, so the caller never waits
     * for the producer (which blocks while it has no metadata for the topic).
     */
    void add(AdmissionCommand release) {
        pending.put(release.getCommandId(), release);
        try {
            timer.execute(() -> attempt(release, 0));
        } catch (RejectedExecutionException e) {
            LOG.error("release of the slot of call {} after the admission client closed", release.getCallId());
        }
    }

    int size() {
        return pending.size();
    }

    /** Waits until every pending release was acknowledged or the timeout passed; then stops re-sending. */
    int flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        closed = true;
        timer.shutdownNow();
        return pending.size();
    }

    private void attempt(AdmissionCommand release, int attempt) {
        try {
            sender.send(release, error -> {
                if (error == null) {
                    pending.remove(release.getCommandId());
                } else {
                    retry(release, attempt, error);
                }
            });
        } catch (RuntimeException e) {
            retry(release, attempt, e);
        }
    }

    private void retry(AdmissionCommand release, int attempt, Exception error) {
        if (closed) {
            return;
        }
        long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(attempt, 16));
        if (attempt == 0 || backoff == MAX_BACKOFF_MS && attempt % 12 == 0) {
            LOG.warn("release of the slot of call {} not written (attempt {}), retrying: {}", release.getCallId(),
                    attempt + 1, error.toString());
        }
        retried.increment();
        try {
            timer.schedule(() -> attempt(release, attempt + 1), backoff, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: flush() reports what is left.
        }
    }
}
