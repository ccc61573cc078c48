package io.sipai.gateway.calls.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.sipai.gateway.calls.CallView;
import io.sipai.gateway.calls.EventStreamSettings;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open tenant-wide live calls streams of this instance ({@code GET /v1/calls/events}). One poller reads, each
 * tick, every call changed since the previous horizon up to the current one ({@link CallChanges}: one query for
 * every tenant, whatever the number of streams) and hands each stream its tenant's changes and the new horizon;
 * each stream sends on its own virtual thread, so a slow client delays only itself. Reading PostgreSQL makes a
 * stream see every change whichever gateway instance projected it, in the state {@code GET /v1/calls/{id}} answers.
 */
@Component
public class CallChangeStreams {

    private static final Logger LOG = LoggerFactory.getLogger(CallChangeStreams.class);
    /** More changed calls than this in one tick (or one resume) are not sent: the streams get a reset instead. */
    static final int MAX_CHANGES = 5_000;
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(2);

    private final CallChanges changes;
    private final LiveStreamLimit limit;
    private final Map<String, Set<CallChangeStream>> byTenant = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("call-changes-poller").factory());
    /** The horizon every open stream has been handed changes up to; -1 before the first stream. */
    private long horizon = -1;
    /** Read and written on the poller thread only. */
    private long retryAt = System.nanoTime();
    private boolean failing;

    CallChangeStreams(CallChanges changes, EventStreamSettings settings, LiveStreamLimit limit) {
        this.changes = changes;
        this.limit = limit;
        poller.scheduleWithFixedDelay(this::poll, settings.eventsPollIntervalMs(), settings.eventsPollIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    /** Opens a stream of the tenant's call changes after {@code lastHorizon} (null: from now). */
    SseEmitter open(String tenantId, Long lastHorizon) {
        limit.acquire();
        SseEmitter emitter = new SseEmitter(LIFETIME.toMillis());
        CallChangeStream stream;
        try {
            stream = register(tenantId, lastHorizon, emitter);
        } catch (RuntimeException e) {
            limit.release();
            throw e;
        }
        Thread.ofVirtual().name("call-changes-" + tenantId).start(stream::run);
        return emitter;
    }

    /** Joins the stream to the poller's handouts; it catches up by itself from its last horizon to the current. */
    private synchronized CallChangeStream register(String tenantId, Long lastHorizon, SseEmitter emitter) {
        if (horizon < 0 || byTenant.isEmpty()) {
            // Nobody else waits for [horizon, now): the poller need not read what changed while no stream was open.
            horizon = changes.horizon();
        }
        CallChangeStream[] self = new CallChangeStream[1];
        self[0] = new CallChangeStream(tenantId, lastHorizon, horizon, emitter, changes, () -> close(self[0]));
        byTenant.computeIfAbsent(tenantId, id -> ConcurrentHashMap.newKeySet()).add(self[0]);
        return self[0];
    }

    private void close(CallChangeStream stream) {
        limit.release();
        byTenant.computeIfPresent(stream.tenantId(), (id, streams) -> {
            streams.remove(stream);
            return streams.isEmpty() ? null : streams;
        });
    }

    private void poll() {
        if (byTenant.isEmpty() || System.nanoTime() < retryAt) {
            return;
        }
        try {
            handOut();
            if (failing) {
                failing = false;
                LOG.info("live calls streams read the calls again");
            }
        } catch (RuntimeException e) {
            // The database may be away for a while: the streams keep their place and the poller waits a little.
            retryAt = System.nanoTime() + RETRY_AFTER_FAILURE.toNanos();
            if (!failing) {
                failing = true;
                LOG.warn("live calls streams cannot read the calls: {}", e.toString());
            }
        }
    }

    /** Reads [horizon, now) once and hands every stream its tenant's part; under the lock, so none is skipped. */
    private synchronized void handOut() {
        long next = changes.horizon();
        if (horizon < 0 || next <= horizon) {
            horizon = Math.max(horizon, next);
            return;
        }
        List<String> ids = changes.changedIds(null, horizon, next, MAX_CHANGES);
        if (ids.size() > MAX_CHANGES) {
            LOG.warn("more than {} calls changed in one tick; the live calls streams are reset", MAX_CHANGES);
            byTenant.values().forEach(streams -> streams.forEach(stream -> stream.handOut(null, next)));
        } else {
            Map<String, List<CallView>> changed = changes.views(ids).stream()
                    .collect(Collectors.groupingBy(CallView::tenantId));
            byTenant.forEach((tenantId, streams) -> {
                List<CallView> calls = changed.getOrDefault(tenantId, List.of());
                streams.forEach(stream -> stream.handOut(calls, next));
            });
        }
        horizon = next;
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
        byTenant.values().forEach(streams -> streams.forEach(CallChangeStream::stop));
    }
}
