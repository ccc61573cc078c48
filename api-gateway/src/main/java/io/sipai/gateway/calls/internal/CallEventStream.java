package io.sipai.gateway.calls.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's live stream of one call: sends the projected entries after the last one it sent, in seq order, each
 * as {@code id: seq}, {@code event: entry}; after the call's last entry ({@code CallEnded}, or {@code CallRejected}
 * for a call admission refused) it sends {@code event: end} and completes. Runs on its own virtual thread until
 * then, until the client goes away or the stream's lifetime ends.
 */
final class CallEventStream {

    private static final Logger LOG = LoggerFactory.getLogger(CallEventStream.class);
    private static final int BATCH = 200;

    private final String tenantId;
    private final String callId;
    private final SseEmitter emitter;
    private final CallWatch watch;
    private final TimelineTail tail;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long sentSeq;

    CallEventStream(String tenantId, String callId, long lastSeq, SseEmitter emitter, CallWatch watch,
                    TimelineTail tail, Runnable onClose) {
        this.tenantId = tenantId;
        this.callId = callId;
        this.sentSeq = lastSeq;
        this.emitter = emitter;
        this.watch = watch;
        this.tail = tail;
        this.onClose = onClose;
        emitter.onCompletion(this::clientGone);
        emitter.onTimeout(this::clientGone);
        emitter.onError(error -> clientGone());
    }

    void run() {
        try {
            // Commits the response's headers now: with no entry to send yet, the client (and any proxy) would
            // otherwise see nothing of the stream until the first keep-alive.
            emitter.send(SseEmitter.event().comment("open"));
            if (sentSeq > 0 && tail.endedBy(tenantId, callId, sentSeq)) {
                end();
                return;
            }
            while (!closed.get()) {
                if (sendNew()) {
                    end();
                    return;
                }
                if (!watch.awaitPast(sentSeq, CallEventStreams.KEEP_ALIVE, closed::get) && !closed.get()) {
                    emitter.send(SseEmitter.event().comment("keep-alive"));
                }
            }
        } catch (IOException | IllegalStateException e) {
            LOG.debug("live stream of {} closed: {}", callId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The database went away: the client resumes with Last-Event-ID once it is back.
            LOG.warn("live stream of {} stopped: {}", callId, e.toString());
            emitter.completeWithError(e);
        } finally {
            closed.set(true);
            // Also when stop() ended the loop: an emitter left open keeps its request in progress, and the web
            // server's graceful shutdown waits for it.
            try {
                emitter.complete();
            } catch (IllegalStateException alreadyDone) {
                // the client went away first
            }
            onClose.run();
        }
    }

    /** Sends every entry after the last one sent; true once the call's end was sent. */
    private boolean sendNew() throws IOException {
        while (true) {
            List<CallStore.Entry> entries = tail.after(tenantId, callId, sentSeq, BATCH);
            for (CallStore.Entry entry : entries) {
                emitter.send(SseEmitter.event().id(Long.toString(entry.seq())).name("entry")
                        .data(CallsController.EntryView.of(entry), MediaType.APPLICATION_JSON));
                sentSeq = entry.seq();
                if (TimelineTail.LAST_TYPES.contains(entry.eventType())) {
                    return true;
                }
            }
            if (entries.size() < BATCH) {
                return false;
            }
        }
    }

    private void end() throws IOException {
        emitter.send(SseEmitter.event().name("end").data(Map.of(), MediaType.APPLICATION_JSON));
        closed.set(true);
        emitter.complete();
    }

    /** Ends the stream now (the instance shuts down); the client resumes with Last-Event-ID elsewhere. */
    void stop() {
        clientGone();
    }

    private void clientGone() {
        closed.set(true);
        watch.wakeAll();
    }
}
