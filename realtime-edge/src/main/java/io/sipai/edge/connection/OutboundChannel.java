package io.sipai.edge.connection;

import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

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
     * Stops accepting messages, sends what is queued (audio included: what the server queued before the end of a
     * call reaches the client) and then {@code finalMessage} (if not null), then runs {@code then} (typically the
     * socket close). Runs {@code then} at once when already closed; a slow reader was closed with its queue
     * discarded, and the send timeout bounds how long a drain can take.
     */
    public void shutdown(Object finalMessage, Runnable then) {
        Object first = null;
        synchronized (this) {
            if (!closed) {
                closed = true;
                if (finalMessage != null) {
                    queue.add(new Queued(finalMessage, false));
                    queuedControl++;
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
            writeFrom(first);
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
        writeFrom(first);
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

    /**
     * Writes {@code message} and the messages queued after it, one at a time. The container's send call may run
     * the completion handler before it returns (Jetty does, and only resets its message state when the call
     * returns), so the next write starts only once both happened: whichever comes second continues the loop.
     */
    private void writeFrom(Object message) {
        while (message != null) {
            Write write = new Write();
            try {
                if (message instanceof String text) {
                    remote.sendText(text, write);
                } else {
                    remote.sendBinary((ByteBuffer) message, write);
                }
            } catch (RuntimeException e) {
                write.onResult(new SendResult(e));
            }
            if (!write.arrive()) {
                return;
            }
            message = completed(write.result);
        }
    }

    /** Settles a finished write; returns the next message to write, or null when this writer stops. */
    private Object completed(SendResult result) {
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
        if (finished != null) {
            Thread.ofVirtual().start(finished);
        }
        return next;
    }

    /** One write in progress: done when the send call returned and the container reported the result. */
    private final class Write implements SendHandler {
        private final AtomicInteger pending = new AtomicInteger(2);
        private volatile SendResult result;

        @Override
        public void onResult(SendResult sent) {
            result = sent;
            if (arrive()) {
                writeFrom(completed(sent));
            }
        }

        /** Counts one of the two events; true for the second. */
        boolean arrive() {
            return pending.decrementAndGet() == 0;
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
