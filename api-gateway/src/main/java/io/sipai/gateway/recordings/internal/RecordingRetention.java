package io.sipai.gateway.recordings.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.sipai.gateway.recordings.RetentionSettings;
import io.sipai.runtime.recordings.RecordingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes recordings past their tenant's retention period, every {@code RECORDINGS_RETENTION_SWEEP_INTERVAL_SEC}:
 * at most {@link #BATCH} per sweep, oldest first, each file before its row is marked deleted; and the partial files
 * of calls whose edge died mid-call, once untouched for a day. Every gateway instance sweeps; two deleting the same
 * recording do no harm (the file is gone, the row is marked once).
 */
@Component
public class RecordingRetention implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingRetention.class);
    static final int BATCH = 500;
    /** A recording's partial file untouched this long belongs to a call whose edge died (calls last hours at most). */
    static final Duration ABANDONED_AFTER = Duration.ofDays(1);

    private final RecordingIndex index;
    private final Optional<RecordingStore> store;
    private final RetentionSettings settings;
    private final Clock clock;
    private ScheduledExecutorService sweeper;

    public RecordingRetention(RecordingIndex index, Optional<RecordingStore> store, RetentionSettings settings,
                              Clock clock) {
        this.index = index;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Deletes one batch of expired recordings; how many. A recording whose file cannot be deleted stays listed (and
     * is tried again next sweep) without holding back the others; without a store nothing is deleted.
     */
    public int sweep() {
        if (store.isEmpty()) {
            return 0;
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        int abandoned = store.get().deleteAbandoned(now.toInstant().minus(ABANDONED_AFTER), BATCH);
        if (abandoned > 0) {
            LOG.info("deleted {} partial recordings of calls whose edge died", abandoned);
        }
        List<RecordingIndex.Recording> expired = index.expired(now, settings.days(), BATCH);
        int deleted = 0;
        for (RecordingIndex.Recording recording : expired) {
            try {
                store.get().delete(recording.location());
            } catch (RuntimeException e) {
                LOG.warn("recording of call {} past its retention is not deleted: {}", recording.callId(),
                        e.toString());
                continue;
            }
            if (index.markDeleted(recording.callId(), now)) {
                deleted++;
            }
        }
        if (deleted > 0) {
            LOG.info("deleted {} recordings past their retention", deleted);
        }
        return deleted;
    }

    private void sweepLogged() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("recording retention sweep failed; next in {} s: {}", settings.sweepIntervalSec(),
                    e.toString());
        }
    }

    @Override
    public synchronized void start() {
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("recording-retention")
                .factory());
        sweeper.scheduleWithFixedDelay(this::sweepLogged, Math.min(60, settings.sweepIntervalSec()),
                settings.sweepIntervalSec(), TimeUnit.SECONDS);
    }

    @Override
    public synchronized void stop() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return sweeper != null;
    }
}
