package io.sipai.edge.pipeline.ws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Metrics;

/**
 * A client WebSocket to a vendor (Deepgram) with the JDK client: connects asynchronously, queues sends made before
 * the handshake finished, keeps sends in order (the JDK allows one outstanding send), bounds what may be queued,
 * and assembles fragmented messages for its {@link Handler}. A connection that goes silent (a lost host, a network
 * black hole: TCP would notice only after minutes) is found by pings: one every {@link #PING_INTERVAL}, and a
 * connection from which nothing (message, ping or pong) arrived for {@link #DEAD_AFTER} is dropped, reported to the
 * handler as closed (-1) and counted ({@code edge.vendor.dead_connections}, by host).
 */
public final class VendorSocket implements WebSocket.Listener {

    /**
     * Receives what the vendor sends; called from the client's threads, in order, except {@link #closed} for a
     * dead connection, which the watchdog's thread reports (once, like every end).
     */
    public interface Handler {
        void text(String message);

        default void binary(byte[] data) {
        }

        /** The socket closed, or could not open ({@code code} -1 with the reason). */
        void closed(int code, String reason);
    }

    private static final int MAX_QUEUED = 500;
    /** How often one call's stream to a vendor is opened again after the vendor dropped it. */
    public static final int MAX_RECONNECTS = 3;
    /**
     * The ends worth a new socket: a server error (Deepgram's 1011 NET-000x), going away (1001), an abnormal end
     * (1006) and a dead or broken connection (-1). A data error (1008 DATA-0000) would come again.
     */
    private static final Set<Integer> DROP_CODES = Set.of(1011, 1001, 1006, -1);
    /** How often an open connection is pinged. */
    static final Duration PING_INTERVAL = Duration.ofMillis(500);
    /** Silence after which a connection is taken for dead. */
    static final Duration DEAD_AFTER = Duration.ofSeconds(2);
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("vendor-socket-watchdog").factory());

    private final Handler handler;
    private final AtomicInteger queued = new AtomicInteger();
    private final StringBuilder text = new StringBuilder();
    private ByteBuffer binary = ByteBuffer.allocate(0);
    private CompletableFuture<WebSocket> chain;
    private volatile WebSocket socket;
    private volatile boolean closed;
    private volatile long lastHeardNanos;
    private volatile long lastCheckNanos;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final String host;
    private ScheduledFuture<?> watchdog;

    private VendorSocket(Handler handler, String host) {
        this.handler = handler;
        this.host = host;
    }

    /** Opens a socket; failures reach {@link Handler#closed} with code -1. */
    public static VendorSocket open(HttpClient http, URI uri, Map<String, String> headers, Duration timeout,
                                    Handler handler) {
        VendorSocket vendor = new VendorSocket(handler, uri.getHost());
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(builder::header);
        vendor.chain = builder.buildAsync(uri, vendor).whenComplete((ws, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                String reason = cause instanceof WebSocketHandshakeException refused
                        ? "handshake refused with HTTP " + refused.getResponse().statusCode()
                        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
                vendor.finish(-1, reason);
            } else {
                vendor.heard();
                vendor.socket = ws;
                vendor.watch();
            }
        });
        return vendor;
    }

    private synchronized void watch() {
        lastCheckNanos = System.nanoTime();
        if (!closed) {
            long period = PING_INTERVAL.toMillis();
            watchdog = WATCHDOG.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** On the watchdog's thread: drops a connection that went silent, else pings it. */
    private void check() {
        if (closed) {
            stopWatching();
            return;
        }
        long now = System.nanoTime();
        if (now - lastCheckNanos > 3 * PING_INTERVAL.toNanos()) {
            // This check ran late: the process itself stalled (a pause, an overloaded host), and pongs may be
            // waiting unread. Silence is counted from the stall's end, not from before it.
            lastHeardNanos = Math.max(lastHeardNanos, now - PING_INTERVAL.toNanos());
        }
        lastCheckNanos = now;
        long silentNanos = now - lastHeardNanos;
        if (silentNanos > DEAD_AFTER.toNanos()) {
            Metrics.counter("edge.vendor.dead_connections", "host", host == null ? "unknown" : host).increment();
            abort();
            finish(-1, "no answer from the vendor for " + TimeUnit.NANOSECONDS.toMillis(silentNanos)
                    + " ms (dead connection)");
            return;
        }
        synchronized (this) {
            enqueue(ws -> ws.sendPing(ByteBuffer.allocate(0)));
        }
    }

    private void heard() {
        lastHeardNanos = System.nanoTime();
    }

    private synchronized void stopWatching() {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
    }

    public synchronized void sendText(String message) {
        enqueue(ws -> ws.sendText(message, true));
    }

    public synchronized void sendBinary(byte[] data) {
        enqueue(ws -> ws.sendBinary(ByteBuffer.wrap(data), true));
    }

    /**
     * Whether an end with {@code code} is the vendor dropping a connection that worked (worth a new socket), as
     * opposed to a refusal, a data error or a socket that never opened.
     */
    public static boolean droppedByVendor(int code, boolean opened) {
        return opened && DROP_CODES.contains(code);
    }

    /** Counts a call's stream opened again after a drop: {@code edge.vendor.reconnects{stage, engine}}. */
    public static void countReconnect(String stage, String engine) {
        Metrics.counter("edge.vendor.reconnects", "stage", stage, "engine", engine).increment();
    }

    /** Whether the handshake succeeded: a socket that never opened was refused or could not connect. */
    public boolean opened() {
        return socket != null;
    }

    /** Sends a normal close after what is queued. */

    public synchronized void close() {
        if (!closed) {
            enqueue(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        }
        closed = true;
    }

    /** Drops the connection now. */
    public void abort() {
        closed = true;
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
    }

    private void enqueue(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> send) {
        if (closed) {
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            abort();
            finish(-1, "vendor is not reading: more than " + MAX_QUEUED + " messages queued");
            return;
        }
        chain = chain.thenCompose(ws -> send.apply(ws).whenComplete((r, e) -> queued.decrementAndGet()));
    }

    /** Reports the end once, whoever sees it first (the client's threads or the watchdog's). */
    private void finish(int code, String reason) {
        closed = true;
        stopWatching();
        if (finished.compareAndSet(false, true)) {
            handler.closed(code, reason);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        heard();
        text.append(data);
        if (last) {
            String message = text.toString();
            text.setLength(0);
            handler.text(message);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        heard();
        ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
        joined.put(binary).put(data).flip();
        binary = joined;
        if (last) {
            byte[] bytes = new byte[binary.remaining()];
            binary.get(bytes);
            binary = ByteBuffer.allocate(0);
            handler.binary(bytes);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        heard();
        // The JDK client answers the ping itself; this only asks for the next message.
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        heard();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        finish(statusCode, reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        finish(-1, error.getClass().getSimpleName() + ": " + error.getMessage());
    }
}
