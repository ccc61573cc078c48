package io.sipai.edge.asr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * A vendor's WebSocket server on loopback for the client tests (RFC 6455 on a plain socket): accepts one
 * connection at a time (the next once the current one ended, as a client that reconnects makes it), records the upgrade request, collects the client's text and binary messages, and lets the test send
 * messages, close with a code, or refuse the upgrade with an HTTP status.
 */
public final class FakeWsServer implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    public final CompletableFuture<String> request = new CompletableFuture<>();
    public final CompletableFuture<Integer> clientClose = new CompletableFuture<>();
    /** A lost host or a network black hole: from now on nothing is answered or sent, not even a pong. */
    public volatile boolean silent;
    private final CompletableFuture<Void> upgraded = new CompletableFuture<>();
    private final ServerSocket server;
    private volatile Socket socket;
    private volatile Consumer<String> onText = t -> { };
    private final AtomicInteger connections = new AtomicInteger();

    private final String refuseBody;

    /** @param refuseStatus HTTP status to refuse the upgrade with, or 0 to accept */
    public FakeWsServer(int refuseStatus) throws IOException {
        this(refuseStatus, "");
    }

    /** Refuses the upgrade with {@code refuseStatus} and a JSON error body, as vendors do. */
    public FakeWsServer(int refuseStatus, String refuseBody) throws IOException {
        this.refuseBody = refuseBody;
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("fake-vendor-ws").start(() -> serve(refuseStatus));
    }

    public String baseUrl() {
        return "ws://127.0.0.1:" + server.getLocalPort();
    }

    /** Runs {@code reaction} for every text message the client sends (after it was recorded). */
    public void onText(Consumer<String> reaction) {
        this.onText = reaction;
    }

    public synchronized void sendText(String text) {
        frame(1, text.getBytes(StandardCharsets.UTF_8));
    }

    public synchronized void sendBinary(byte[] data) {
        frame(2, data);
    }

    public synchronized void closeWith(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        frame(8, payload);
    }

    /** How many connections were accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void serve(int refuseStatus) {
        while (!server.isClosed()) {
            serveOne(refuseStatus);
        }
    }

    private void serveOne(int refuseStatus) {
        try {
            Socket accepted = server.accept();
            socket = accepted;
            connections.incrementAndGet();
            InputStream in = socket.getInputStream();
            String headers = readHeaders(in);
            request.complete(headers);
            OutputStream out = socket.getOutputStream();
            if (refuseStatus != 0) {
                byte[] body = refuseBody.getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + refuseStatus + " Refused\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                socket.close();
                return;
            }
            String key = headers.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT)
                    .startsWith("sec-websocket-key:")).findFirst().orElseThrow().substring(18).strip();
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            upgraded.complete(null);
            readFrames(in);
        } catch (IOException | NoSuchAlgorithmException e) {
            clientClose.complete(-1);
        }
    }

    private void readFrames(InputStream in) throws IOException {
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                clientClose.complete(-1);
                return;
            }
            int b1 = in.read();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | in.read();
                }
            }
            byte[] mask = in.readNBytes(4);
            byte[] payload = in.readNBytes((int) length);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            switch (b0 & 0x0F) {
                case 1 -> {
                    String text = new String(payload, StandardCharsets.UTF_8);
                    texts.add(text);
                    onText.accept(text);
                }
                case 2 -> binaries.add(payload);
                case 9 -> {
                    if (!silent) {
                        pong(payload);
                    }
                }
                case 8 -> {
                    clientClose.complete(payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)
                            : 1005);
                    return;
                }
                default -> {
                }
            }
        }
    }

    private synchronized void pong(byte[] payload) {
        frame(10, payload);
    }

    private void frame(int opcode, byte[] payload) {
        upgraded.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
        try {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x80 | opcode);
            if (payload.length < 126) {
                frame.write(payload.length);
            } else {
                frame.write(126);
                frame.write(payload.length >> 8);
                frame.write(payload.length);
            }
            frame.write(payload);
            socket.getOutputStream().write(frame.toByteArray());
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            headers.write(b);
            matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
        }
        return headers.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (socket != null) {
            socket.close();
        }
    }
}
