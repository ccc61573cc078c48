package io.sipai.gateway.calls.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.sipai.gateway.calls.CallView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's live stream of its tenant's calls. First it catches up from the client's last horizon (its
 * Last-Event-ID) to the horizon it joined at, then sends {@code event: ready}; then, for every horizon the poller
 * hands it, the calls of its tenant that changed, each as {@code event: call} with the call as
 * {@code GET /v1/calls/{id}} answers it. The last event up to a horizon carries {@code id: <horizon>}, and so does
 * every keep-alive, so a client that resumes with Last-Event-ID gets every change after what it saw (a call changed
 * twice since comes once, as it is now). When more changed than it may send at once it sends {@code event: reset}:
 * the client reads the list again.
 */
final class CallChangeStream {

    private static final Logger LOG = LoggerFactory.getLogger(CallChangeStream.class);
    /** Handouts a client may fall behind by before it is dropped (it resumes with Last-Event-ID). */
    private static final int BACKLOG = 1_000;
    private static final Handout STOP = new Handout(Kind.STOP, List.of(), -1);

    private enum Kind { CALLS, READ, RESET, STOP }

    /** Up to {@code horizon}: the changed calls, or read them yourself, or too many (reset), or the end. */
    private record Handout(Kind kind, List<CallView> calls, long horizon) {
    }

    private final String tenantId;
    private final Long lastHorizon;
    private final long joinedAt;
    private final SseEmitter emitter;
    private final CallChanges changes;
    private final Runnable onClose;
    private final BlockingQueue<Handout> handouts = new LinkedBlockingQueue<>(BACKLOG);
    private long sentHorizon;

    CallChangeStream(String tenantId, Long lastHorizon, long joinedAt, SseEmitter emitter, CallChanges changes,
                     Runnable onClose) {
        this.tenantId = tenantId;
        this.lastHorizon = lastHorizon;
        this.joinedAt = joinedAt;
        this.emitter = emitter;
        this.changes = changes;
        this.onClose = onClose;
        emitter.onCompletion(this::stop);
        emitter.onTimeout(this::stop);
        emitter.onError(error -> stop());
    }

    String tenantId() {
        return tenantId;
    }

    /** From the poller: the tenant's calls changed up to {@code horizon}. */
    void handOut(List<CallView> calls, long horizon) {
        offer(new Handout(Kind.CALLS, calls, horizon));
    }

    /** From the poller: the tenant's changes up to {@code horizon} were not read; the stream reads them. */
    void readUpTo(long horizon) {
        offer(new Handout(Kind.READ, List.of(), horizon));
    }

    /** From the poller: too much changed up to {@code horizon}; the client reads the list again. */
    void reset(long horizon) {
        offer(new Handout(Kind.RESET, List.of(), horizon));
    }

    private void offer(Handout handout) {
        if (!handouts.offer(handout)) {
            LOG.info("live calls stream of {} fell {} handouts behind; closing it", tenantId, BACKLOG);
            stop();
        }
    }

    void stop() {
        handouts.clear();
        handouts.offer(STOP);
    }

    void run() {
        try {
            catchUp();
            while (true) {
                Handout next = handouts.poll(CallEventStreams.KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
                if (next == STOP) {
                    return;
                }
                if (next == null) {
                    emitter.send(SseEmitter.event().id(Long.toString(sentHorizon)).comment("keep-alive"));
                } else if (next.horizon() > sentHorizon) {
                    send(next);
                }
            }
        } catch (IOException | IllegalStateException e) {
            LOG.debug("live calls stream of {} closed: {}", tenantId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The database went away during the catch-up, or a call could not be written to the client: it resumes
            // with Last-Event-ID.
            LOG.warn("live calls stream of {} stopped: {}", tenantId, e.toString());
        } finally {
            try {
                emitter.complete();
            } catch (IllegalStateException alreadyDone) {
                // the client went away first
            }
            onClose.run();
        }
    }

    /** The changes between the client's last horizon and the one this stream joined at, then ready. */
    private void catchUp() throws IOException {
        sentHorizon = joinedAt;
        if (lastHorizon != null && lastHorizon < joinedAt) {
            readAndSend(lastHorizon, joinedAt);
        }
        emitter.send(SseEmitter.event().id(Long.toString(joinedAt)).name("ready")
                .data(Map.of(), MediaType.APPLICATION_JSON));
    }

    private void send(Handout handout) throws IOException {
        switch (handout.kind()) {
            case CALLS -> sendCalls(handout.calls(), handout.horizon());
            case READ -> readAndSend(sentHorizon, handout.horizon());
            case RESET -> sendReset(handout.horizon());
            case STOP -> throw new IllegalStateException("a stopped stream sends nothing");
        }
        sentHorizon = handout.horizon();
    }

    /** Reads and sends the tenant's changes in [from, to) itself (a reset when there are too many). */
    private void readAndSend(long from, long to) throws IOException {
        List<String> ids = changes.changedIds(List.of(tenantId), from, to, CallChangeStreams.MAX_CHANGES);
        if (ids.size() > CallChangeStreams.MAX_CHANGES) {
            sendReset(to);
        } else {
            sendCalls(changes.views(ids), to);
        }
    }

    private void sendCalls(List<CallView> calls, long horizon) throws IOException {
        for (int i = 0; i < calls.size(); i++) {
            SseEmitter.SseEventBuilder event = SseEmitter.event().name("call")
                    .data(calls.get(i), MediaType.APPLICATION_JSON);
            // Only the last change up to a horizon names it: a client cut off before it resumes from the previous.
            emitter.send(i == calls.size() - 1 ? event.id(Long.toString(horizon)) : event);
        }
    }

    private void sendReset(long horizon) throws IOException {
        emitter.send(SseEmitter.event().id(Long.toString(horizon)).name("reset")
                .data(Map.of(), MediaType.APPLICATION_JSON));
    }
}
