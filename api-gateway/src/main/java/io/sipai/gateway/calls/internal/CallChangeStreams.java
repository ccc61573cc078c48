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
import org.springframework.context.SmartLifecycle;
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
public class CallChangeStreams implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(CallChangeStreams.class);
    /** More changed calls than this in one tick (or one resume) are not sent: the streams get a reset instead. */
    static final int MAX_CHANGES = 5_000;
    private static final Duration LIFETIME = Duration.ofHours(1);

    private final CallChanges changes;
    private final LiveStreamLimit limit;
    private final Map<String, Set<CallChangeStream>> byTenant = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("call-changes-poller").factory());
    /** The horizon every open stream has been handed changes up to; -1 before the first stream. */
    private long horizon = -1;
    private final PollerTicks ticks = new PollerTicks(LOG, "the calls");
    private volatile boolean running;

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
            stream = register(tenantId, lastHorizon, emitter, changes.horizon());
        } catch (RuntimeException e) {
            limit.release();
            throw e;
        }
        Thread.ofVirtual().name("call-changes-" + tenantId).start(stream::run);
        return emitter;
    }

    /**
     * Joins the stream to the poller's handouts at the poller's horizon; the stream catches up by itself from its
     * last horizon to that one. {@code now} (read before the lock: no database call is made under it) becomes the
     * horizon when no other stream is open, so the poller does not read what changed while none was.
     */
    private synchronized CallChangeStream register(String tenantId, Long lastHorizon, SseEmitter emitter, long now) {
        if (horizon < 0 || byTenant.isEmpty()) {
            horizon = Math.max(horizon, now);
        }
        CallChangeStream[] self = new CallChangeStream[1];
        self[0] = new CallChangeStream(tenantId, lastHorizon, horizon, emitter, changes, () -> close(self[0]));
        // Added inside the map's own update: a close emptying the tenant's set at the same time cannot drop it.
        byTenant.compute(tenantId, (id, streams) -> {
            Set<CallChangeStream> joined = streams == null ? ConcurrentHashMap.newKeySet() : streams;
            joined.add(self[0]);
            return joined;
        });
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
        if (!byTenant.isEmpty()) {
            ticks.tick(this::handOut);
        }
    }

    /**
     * Reads what the watched tenants changed in [horizon, now) without the lock (the database may be slow), then,
     * under it, hands every stream its tenant's part and moves the horizon: a stream that joined meanwhile joined at
     * the same horizon, so it gets this handout too. When a stream reset the horizon meanwhile (none was open), the
     * read is dropped and the next tick reads from there.
     */
    private void handOut() {
        long from;
        synchronized (this) {
            from = horizon;
        }
        long next = changes.horizon();
        if (from < 0 || next <= from) {
            return;
        }
        Set<String> tenants = Set.copyOf(byTenant.keySet());
        List<String> ids = changes.changedIds(tenants, from, next, MAX_CHANGES);
        Map<String, List<CallView>> changed = ids.size() > MAX_CHANGES ? null
                : changes.views(ids).stream().collect(Collectors.groupingBy(CallView::tenantId));
        synchronized (this) {
            if (horizon != from) {
                return;
            }
            if (changed == null) {
                LOG.warn("more than {} calls changed in one tick; the live calls streams are reset", MAX_CHANGES);
            }
            byTenant.forEach((tenantId, streams) -> streams.forEach(stream -> {
                if (changed == null) {
                    stream.reset(next);
                } else if (!tenants.contains(tenantId)) {
                    // Its tenant was not read this tick (its first stream joined meanwhile): it reads its own part.
                    stream.readUpTo(next);
                } else {
                    stream.handOut(changed.getOrDefault(tenantId, List.of()), next);
                }
            }));
            horizon = next;
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every open stream, before the web server's graceful shutdown (a later phase): it waits for open requests,
     * and a tenant's stream never ends by itself.
     */
    @Override
    public void stop() {
        running = false;
        byTenant.values().forEach(streams -> streams.forEach(CallChangeStream::stop));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @PreDestroy
    void shutdown() {
        poller.shutdownNow();
        byTenant.values().forEach(streams -> streams.forEach(CallChangeStream::stop));
    }
}
