package io.sipai.bench.voice.vendors;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Function;

/**
 * A small RFC 6455 server for the vendor stand-ins of the wire benchmark: blocking sockets, one virtual thread per
 * connection, which scales to the thousands of vendor sockets a few hundred calls open. Handles what the JDK's
 * WebSocket client sends: masked text, binary, ping and close frames, continuation frames reassembled.
 */
final class WsServer implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** What one connection does with what it receives. */
    interface Session {
        void text(String message);

        void binary(byte[] data);

        default void closed() {
        }
    }

    private final ServerSocket server;
    private final Function<Connection, Session> sessions;

    /** @param sessions makes the session of a new connection, given the connection (its path included) */
    WsServer(int port, Function<Connection, Session> sessions) throws IOException {
        this.server = new ServerSocket(port, 1_000, InetAddress.getLoopbackAddress());
        this.sessions = sessions;
        Thread.ofPlatform().daemon().name("ws-accept-" + server.getLocalPort()).start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            String head = readHead(in);
            String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
            String key = head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:"))
                    .findFirst().orElseThrow().substring(18).strip();
            Connection connection = new Connection(new BufferedOutputStream(socket.getOutputStream(), 8_192), path);
            connection.raw(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Session session = sessions.apply(connection);
            try {
                readFrames(in, connection, session);
            } finally {
                connection.open = false;
                session.closed();
            }
        } catch (IOException | RuntimeException e) {
            // The client went away: its session is over.
        }
    }

    private static void readFrames(DataInputStream in, Connection connection, Session session) throws IOException {
        java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        int messageType = 0;
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
            byte[] payload = in.readNBytes((int) length);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            int opcode = b0 & 0x0F;
            switch (opcode) {
                case 0x8 -> {
                    connection.close(payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1000,
                            "");
                    return;
                }
                case 0x9 -> connection.frame(0xA, payload);
                case 0xA -> {
                }
                default -> {
                    if (opcode != 0) {
                        messageType = opcode;
                        message.reset();
                    }
                    message.writeBytes(payload);
                    if ((b0 & 0x80) != 0) {
                        if (messageType == 0x1) {
                            session.text(message.toString(StandardCharsets.UTF_8));
                        } else {
                            session.binary(message.toByteArray());
                        }
                        message.reset();
                    }
                }
            }
        }
    }

    private static String readHead(DataInputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        return head.toString();
    }

    private static String accept(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** The server side of one connection: unmasked frames, one writer at a time. */
    static final class Connection {
        private final OutputStream out;
        private final String path;
        private volatile boolean open = true;

        Connection(OutputStream out, String path) {
            this.out = out;
            this.path = path;
        }

        String path() {
            return path;
        }

        boolean open() {
            return open;
        }

        void sendText(String text) {
            frame(0x1, text.getBytes(StandardCharsets.UTF_8));
        }

        void sendBinary(byte[] data) {
            frame(0x2, data);
        }

        void close(int code, String reason) {
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[2 + r.length];
            payload[0] = (byte) (code >> 8);
            payload[1] = (byte) code;
            System.arraycopy(r, 0, payload, 2, r.length);
            frame(0x8, payload);
            open = false;
        }

        private synchronized void frame(int opcode, byte[] payload) {
            if (!open) {
                return;
            }
            try {
                out.write(0x80 | opcode);
                if (payload.length < 126) {
                    out.write(payload.length);
                } else if (payload.length < 65_536) {
                    out.write(126);
                    out.write(payload.length >> 8);
                    out.write(payload.length & 0xFF);
                } else {
                    out.write(127);
                    for (int shift = 56; shift >= 0; shift -= 8) {
                        out.write((int) ((long) payload.length >> shift) & 0xFF);
                    }
                }
                out.write(payload);
                out.flush();
            } catch (IOException e) {
                open = false;
            }
        }

        private synchronized void raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }
    }
}
