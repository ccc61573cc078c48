package io.sipai.edge.internal;

import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded, non-blocking send side of one connection. Messages are queued and written with the container's
 * asynchronous send, one at a time; no caller ever waits for the network. Audio is bounded by
 * {@code audioCapacity} messages (about {@code EDGE_OUTBOUND_BUFFER_MS} of audio): when the queue stays full for longer
 * than the slow-reader timeout, or a single write stays pending for longer than the send timeout
 * ({@link io.sipai.edge.EdgeSettings#sendTimeoutMs()}), {@code onSlowReader} runs once. Control messages (marks,
 * clear, errors) are always queued, up to a hard cap.
 */
public final class OutboundChannel {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundChannel.class);
    private static final int CONTROL_CAP = 256;

    private final RemoteEndpoint.Async remote;
    private final int audioCapacity;
    private final long slowReaderNanos;
    private final Runnable onSlowReader;
    private final Runnable onDropped;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final SendHandler completion = this::completed;
    private int queuedAudio;
    private int queuedControl;
    private boolean sending;
    private boolean closed;
    private long fullSince;
    private Runnable afterDrain;

    public OutboundChannel(RemoteEndpoint.Async remote, int audioCapacity, long slowReaderMillis,
                           long sendTimeoutMillis, Runnable onSlowReader, Runnable onDropped) {
        this.remote = remote;
        this.audioCapacity = audioCapacity;
        this.slowReaderNanos = slowReaderMillis * 1_000_000L;
        this.onSlowReader = onSlowReader;
        this.onDropped = onDropped;
        remote.setSendTimeout(sendTimeoutMillis);
    }

    /** Queues a text message; {@code audio} marks droppable media. */
    public void text(String message, boolean audio) {
        offer(message, audio);
    }

    /** Queues a binary message; the buffer must not be reused by the caller. */
    public void binary(ByteBuffer message, boolean audio) {
        offer(message, audio);
    }

    /** Stops sending at once; queued messages are discarded (the socket is already gone). */
    public synchronized void close() {
        closed = true;
        queue.clear();
        afterDrain = null;
    }

    /**
     * Stops accepting messages, drops queued audio, sends {@code finalMessage} (if not null) after the write in
     * progress, then runs {@code then} (typically the socket close). Runs {@code then} at once when already closed.
     */
    public void shutdown(Object finalMessage, Runnable then) {
        Object first = null;
        synchronized (this) {
            if (!closed) {
                closed = true;
                queue.removeIf(queued -> ((Queued) queued).audio());
                queuedAudio = 0;
                if (finalMessage != null) {
                    queue.add(new Queued(finalMessage, false));
                }
                if (sending || !queue.isEmpty()) {
                    afterDrain = then;
                    if (!sending) {
                        sending = true;
                        first = take();
                    }
                    then = null;
                }
            }
        }
        if (first != null) {
            write(first);
        }
        if (then != null) {
            Thread.ofVirtual().start(then);
        }
    }

    private void offer(Object message, boolean audio) {
        Object first;
        synchronized (this) {
            if (closed || !admit(audio)) {
                return;
            }
            queue.add(new Queued(message, audio));
            if (sending) {
                return;
            }
            sending = true;
            first = take();
        }
        write(first);
    }

    private boolean admit(boolean audio) {
        if (audio ? queuedAudio < audioCapacity : queuedControl < CONTROL_CAP) {
            fullSince = 0;
            if (audio) {
                queuedAudio++;
            } else {
                queuedControl++;
            }
            return true;
        }
        long now = System.nanoTime();
        if (fullSince == 0) {
            fullSince = now;
        } else if (now - fullSince > slowReaderNanos) {
            closed = true;
            queue.clear();
            Thread.ofVirtual().start(onSlowReader);
        }
        onDropped.run();
        return false;
    }

    private Object take() {
        Queued next = (Queued) queue.poll();
        if (next == null) {
            return null;
        }
        if (next.audio()) {
            queuedAudio--;
        } else {
            queuedControl--;
        }
        return next.message();
    }

    private void write(Object message) {
        try {
            if (message instanceof String text) {
                remote.sendText(text, completion);
            } else {
                remote.sendBinary((ByteBuffer) message, completion);
            }
        } catch (RuntimeException e) {
            completed(new SendResult(e));
        }
    }

    private void completed(SendResult result) {
        Object next = null;
        Runnable finished;
        synchronized (this) {
            if (!result.isOK()) {
                boolean wasClosed = closed;
                closed = true;
                queue.clear();
                sending = false;
                finished = afterDrain;
                afterDrain = null;
                Throwable error = result.getException();
                LOG.debug("send failed: {}", String.valueOf(error));
                if (!wasClosed && isTimeout(error)) {
                    Thread.ofVirtual().start(onSlowReader);
                }
            } else {
                next = take();
                finished = null;
                if (next == null) {
                    sending = false;
                    finished = afterDrain;
                    afterDrain = null;
                }
            }
        }
        if (next != null) {
            write(next);
        } else if (finished != null) {
            Thread.ofVirtual().start(finished);
        }
    }

    /** Tomcat reports a send timeout as SocketTimeoutException, Jetty as its own or the JDK's TimeoutException. */
    private static boolean isTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().endsWith("TimeoutException")) {
                return true;
            }
        }
        return false;
    }

    private record Queued(Object message, boolean audio) {
    }
}
