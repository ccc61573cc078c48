package io.sipai.bench.edge;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal client WebSocket (RFC 6455) over one non-blocking {@link SocketChannel}, for the edge load generator.
 *
 * <p>The JDK's {@code java.net.http.WebSocket} costs about a core per 25,000 messages/s, so the generator ran out of
 * CPU before the edge did. This client does only what the benchmark needs: a blocking handshake, then masked text
 * frames out and unmasked text frames in, driven by one selector thread. Frames are masked with an all-zero key: the
 * mask is present as the RFC requires, and XOR with zero leaves the payload as is, so sending costs one copy.
 */
final class RawWebSocket {

    /** Receives every complete text message. */
    interface TextHandler {
        void onText(RawWebSocket socket, ByteBuffer payload);
    }

    private static final int BUFFER = 64 * 1024;

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(BUFFER);
    private final ByteBuffer out = ByteBuffer.allocate(BUFFER);
    private final TextHandler handler;
    private SelectionKey key;
    private long overflows;

    private RawWebSocket(SocketChannel channel, TextHandler handler) {
        this.channel = channel;
        this.handler = handler;
        out.flip();
    }

    /** Connects and upgrades, blocking; the socket is non-blocking afterwards and not yet registered. */
    static RawWebSocket connect(URI uri, TextHandler handler) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
        channel.socket().setTcpNoDelay(true);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = String.format(Locale.ROOT, "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                uri.getRawPath(), uri.getHost(), uri.getPort(), Base64.getEncoder().encodeToString(nonce));
        ByteBuffer req = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        while (req.hasRemaining()) {
            channel.write(req);
        }
        RawWebSocket socket = new RawWebSocket(channel, handler);
        socket.readHandshake();
        channel.configureBlocking(false);
        return socket;
    }

    private void readHandshake() throws IOException {
        while (true) {
            if (channel.read(in) < 0) {
                throw new IOException("connection closed during the handshake");
            }
            String head = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
            int end = head.indexOf("\r\n\r\n");
            if (end >= 0) {
                if (!head.startsWith("HTTP/1.1 101")) {
                    throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
                }
                in.flip().position(end + 4);
                in.compact();
                return;
            }
        }
    }

    void register(Selector selector) throws IOException {
        key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    /** Queues one text message and writes what the socket takes now; the rest goes out on OP_WRITE. */
    void sendText(byte[] payload) throws IOException {
        int headerLength = payload.length < 126 ? 6 : 8;
        out.compact();
        if (out.remaining() < headerLength + payload.length) {
            overflows++;
            out.flip();
            return;
        }
        out.put((byte) 0x81);
        if (payload.length < 126) {
            out.put((byte) (0x80 | payload.length));
        } else {
            out.put((byte) (0x80 | 126)).putShort((short) payload.length);
        }
        out.putInt(0).put(payload).flip();
        flush();
    }

    void flush() throws IOException {
        channel.write(out);
        if (key != null && key.isValid()) {
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    /** Reads what is there and hands every complete text frame to the handler; false once the peer closed. */
    boolean read() throws IOException {
        int n = channel.read(in);
        in.flip();
        while (in.remaining() >= 2) {
            int start = in.position();
            int opcode = in.get(start) & 0x0F;
            long length = in.get(start + 1) & 0x7F;
            int header = 2;
            if (length == 126) {
                header = 4;
                length = in.remaining() >= 4 ? in.getShort(start + 2) & 0xFFFF : -1;
            } else if (length == 127) {
                header = 10;
                length = in.remaining() >= 10 ? in.getLong(start + 2) : -1;
            }
            if (length < 0 || in.remaining() < header + length) {
                break;
            }
            ByteBuffer payload = in.slice(start + header, (int) length);
            if (opcode == 0x1) {
                handler.onText(this, payload);
            } else if (opcode == 0x8) {
                n = -1;
            }
            in.position(start + header + (int) length);
        }
        in.compact();
        return n >= 0;
    }

    long overflows() {
        return overflows;
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing at the end of a benchmark: nothing to recover.
        }
    }
}
