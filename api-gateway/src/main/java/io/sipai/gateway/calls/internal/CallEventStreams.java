package io.sipai.gateway.calls.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.sipai.gateway.calls.EventStreamSettings;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open live call streams of this instance. One poller reads, for every watched call at once, how far its
 * projected timeline has got (one query per tick whatever the number of streams) and wakes the streams of the calls
 * that moved; each stream reads and sends its own entries on its own virtual thread, so a slow client delays only
 * itself. Reading PostgreSQL rather than the projector's own records makes a stream see every entry whichever
 * gateway instance projected it.
 */
@Component
public class CallEventStreams implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(CallEventStreams.class);
    /** Comments this often keep proxies from closing an idle stream and find clients that went away. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** A stream lives this long at most; the client resumes with Last-Event-ID. */
    private static final Duration LIFETIME = Duration.ofHours(1);


    private final TimelineTail tail;
    private final Map<String, CallWatch> watches = new ConcurrentHashMap<>();
    private final Set<CallEventStream> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private final LiveStreamLimit limit;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("call-events-poller").factory());
    private final PollerTicks ticks = new PollerTicks(LOG, "the timelines");

    CallEventStreams(TimelineTail tail, EventStreamSettings settings, LiveStreamLimit limit) {
        this.tail = tail;
        this.limit = limit;
        poller.scheduleWithFixedDelay(this::poll, settings.eventsPollIntervalMs(), settings.eventsPollIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    /** Opens a stream of the tenant's call from after {@code lastSeq}; 503 when this instance serves its maximum. */
    SseEmitter open(String tenantId, String callId, long lastSeq) {
        limit.acquire();
        CallWatch watch = watches.compute(callId, (id, existing) -> {
            CallWatch joined = existing == null ? new CallWatch() : existing;
            joined.join();
            return joined;
        });
        SseEmitter emitter = new SseEmitter(LIFETIME.toMillis());
        CallEventStream[] self = new CallEventStream[1];
        self[0] = new CallEventStream(tenantId, callId, lastSeq, emitter, watch, tail, () -> {
            streams.remove(self[0]);
            close(callId);
        });
        streams.add(self[0]);
        Thread.ofVirtual().name("call-events-" + callId).start(self[0]::run);
        return emitter;
    }

    /** Open live streams on this instance, of calls and of tenants. */
    public int openStreams() {
        return limit.open();
    }

    private void close(String callId) {
        limit.release();
        watches.computeIfPresent(callId, (id, watch) -> watch.leave() ? null : watch);
    }

    private void poll() {
        List<String> callIds = List.copyOf(watches.keySet());
        if (callIds.isEmpty()) {
            return;
        }
        ticks.tick(() -> tail.latestSeqs(callIds).forEach((callId, seq) -> {
            CallWatch watch = watches.get(callId);
            if (watch != null) {
                watch.advanceTo(seq);
            }
        }));
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every open stream, before the web server's graceful shutdown (a later phase): it waits for open requests,
     * and a stream of a call in progress would hold it for its whole timeout.
     */
    @Override
    public void stop() {
        running = false;
        streams.forEach(CallEventStream::stop);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @PreDestroy
    void shutdown() {
        poller.shutdownNow();
        watches.values().forEach(CallWatch::wakeAll);
    }
}
