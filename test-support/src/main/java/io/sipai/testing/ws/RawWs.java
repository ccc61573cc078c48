package io.sipai.testing.ws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A bare-socket WebSocket client for what well-behaved clients cannot do: send invalid UTF-8, stop reading
 * while the server writes (tiny receive buffer, nobody reads), and send any frame bytes at all (reserved opcodes
 * and bits, unmasked frames, lying lengths) for the framing fuzz.
 */
public final class RawWs implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    public final String handshakeResponse;

    public RawWs(int port, String pathAndQuery, int receiveBuffer, String... headers) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        handshakeResponse = readHeaders();
    }

    /** Sends one masked frame with the given opcode (1 text, 2 binary). */
    public void frame(int opcode, byte[] payload) throws IOException {
        send(frame(0x80 | opcode, true, payload));
    }

    /** Sends bytes as they are: frames of {@link #frame(int, boolean, byte[])}, lies, garbage. */
    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Ends the client's side of the connection: the server reads end of stream (mid-frame, if it was). */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /**
     * One frame: {@code firstByte} is FIN, RSV1-3 and the opcode as sent (so reserved bits and opcodes can be set);
     * masked frames use a fixed mask.
     */
    public static byte[] frame(int firstByte, boolean masked, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(header(firstByte, masked, payload.length));
        byte[] mask = {1, 2, 3, 4};
        if (masked) {
            frame.writeBytes(mask);
        }
        for (int i = 0; i < payload.length; i++) {
            frame.write(masked ? payload[i] ^ mask[i % 4] : payload[i]);
        }
        return frame.toByteArray();
    }

    /** A frame header declaring {@code length} payload bytes (up to 2^63-1), without mask key or payload. */
    public static byte[] header(int firstByte, boolean masked, long length) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (length < 126) {
            header.write(maskBit | (int) length);
        } else if (length < 65536) {
            header.write(maskBit | 126);
            header.write((int) (length >> 8));
            header.write((int) length);
        } else {
            header.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                header.write((int) (length >> shift));
            }
        }
        return header.toByteArray();
    }

    /**
     * Reads frames until a close frame and returns its code (1005 for a close without one); -1 when the socket
     * ends (or is reset) without one. A server that neither closes nor answers fails with a socket timeout.
     */
    public int readCloseCode() throws IOException {
        try {
            while (true) {
                int b0 = in.read();
                int b1 = in.read();
                if (b0 < 0 || b1 < 0) {
                    return -1;
                }
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = (in.read() << 8) | in.read();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | in.read();
                    }
                }
                byte[] payload = in.readNBytes((int) Math.min(length, Integer.MAX_VALUE));
                if ((b0 & 0x0F) == 8) {
                    return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                }
                if (payload.length < length) {
                    return -1;
                }
            }
        } catch (SocketException reset) {
            return -1;
        }
    }

    private String readHeaders() throws IOException {
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
        socket.close();
    }
}
