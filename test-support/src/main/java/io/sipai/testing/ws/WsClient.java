package io.sipai.testing.ws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real WebSocket client (the JDK's) that records what the server sends and how it closes. */
public final class WsClient implements AutoCloseable {

    /** A received close frame. */
    public record Close(int code, String reason) {
    }

    public final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    public final AtomicInteger binaryCount = new AtomicInteger();
    public final CompletableFuture<Close> closed = new CompletableFuture<>();
    /** Everything received, in arrival order: {@code text:<message>}, {@code binary:<bytes>}, {@code close:<code>}. */
    public final java.util.Queue<String> received = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private WebSocket socket;
    private final HttpClient http = HttpClient.newHttpClient();

    private WsClient() {
    }

    /** Connects; throws {@link HandshakeRefused} with the HTTP status when the upgrade is refused. */
    public static WsClient connect(URI uri, Map<String, String> headers, List<String> subprotocols) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = client.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.getFirst(), subprotocols.subList(1, subprotocols.size())
                    .toArray(String[]::new));
        }
        try {
            client.socket = builder.buildAsync(uri, client.new Listener()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new HandshakeRefused(refused.getResponse().statusCode(),
                        String.valueOf(refused.getResponse().body()));
            }
            throw e;
        }
        return client;
    }

    public static WsClient connect(URI uri) {
        return connect(uri, Map.of(), List.of());
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public void text(String text) {
        socket.sendText(text, true).join();
    }

    public void binary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** The next text message, waiting up to 5 s. */
    public String nextText() {
        try {
            String text = texts.poll(5, TimeUnit.SECONDS);
            if (text == null) {
                throw new AssertionError("no text message within 5 s");
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The close frame, waiting up to {@code timeout}. */
    public Close awaitClose(Duration timeout) {
        return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
        http.close();
    }

    /** The upgrade was refused with an HTTP status. */
    public static final class HandshakeRefused extends RuntimeException {
        public final int status;

        HandshakeRefused(int status, String body) {
            super("handshake refused with " + status + ": " + body);
            this.status = status;
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                texts.add(text.toString());
                received.add("text:" + text);
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
            joined.put(binary).put(data).flip();
            binary = joined;
            if (last) {
                byte[] bytes = new byte[binary.remaining()];
                binary.get(bytes);
                binaries.add(bytes);
                received.add("binary:" + bytes.length);
                binaryCount.incrementAndGet();
                binary = ByteBuffer.allocate(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            received.add("close:" + statusCode);
            closed.complete(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Close(-1, String.valueOf(error)));
        }
    }
}
