package io.sipai.runtime.ssrf;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection to a customer's URL after the {@link SsrfGuard} checked it ({@link SsrfGuard#resolve}):
 * the socket connects to the checked address, and the URL's host is only the Host header, the TLS server name and
 * the certificate check, so rebinding the name cannot move the connection elsewhere. Redirects are never followed.
 * Shared by webhook delivery (keep-alive, pooled by the caller) and HTTP tools ({@code Connection: close}). Of the
 * response body only the first {@code keptBodyBytes} are kept; the rest is read only as far as a reusable
 * connection needs it (at most {@value #MAX_DRAIN_BYTES} bytes, else the connection is dropped). Blocking and not
 * thread-safe: one request at a time, on the caller's (virtual) thread.
 */
public final class CheckedHttpConnection implements AutoCloseable {

    /** Most body bytes read to keep a connection reusable; a longer body costs the connection instead. */
    public static final int MAX_DRAIN_BYTES = 1 << 20;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final long REARM_NANOS = 50_000_000L;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int keptBodyBytes;
    private boolean reusable = true;
    private long armedDeadline;
    private long armedAt;

    private CheckedHttpConnection(Socket socket, int keptBodyBytes) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = socket.getOutputStream();
        this.keptBodyBytes = keptBodyBytes;
    }

    /**
     * Connects (and for https completes the TLS handshake, verifying the certificate against the URL's host).
     *
     * @param connectTimeoutMs TCP connect and TLS handshake timeout
     * @param keptBodyBytes    bytes of each response body kept
     */
    public static CheckedHttpConnection open(CheckedTarget target, int connectTimeoutMs, int keptBodyBytes)
            throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(target.address(), target.port()), connectTimeoutMs);
            if (!target.tls()) {
                return new CheckedHttpConnection(raw, keptBodyBytes);
            }
            SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(raw, target.host(), target.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (target.hostIsName()) {
                parameters.setServerNames(List.of(new SNIHostName(target.host())));
            }
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(connectTimeoutMs);
            tls.startHandshake();
            return new CheckedHttpConnection(tls, keptBodyBytes);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Whether another request may follow on this connection. */
    public boolean reusable() {
        return reusable && !socket.isClosed();
    }

    /**
     * Sends one POST and reads the response (past any 1xx) before {@code deadlineNanos}. A {@code Connection: close}
     * among {@code headers} makes this the connection's last request: the body is then read only as far as kept.
     *
     * @throws SocketTimeoutException when the deadline passed
     * @throws IOException            on any other I/O failure or a malformed response
     */
    public CheckedHttpResponse post(CheckedTarget target, Map<String, String> headers, byte[] body,
                                    long deadlineNanos) throws IOException {
        StringBuilder head = new StringBuilder(512);
        head.append("POST ").append(target.requestTarget()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target.hostHeader()).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        headers.forEach((name, value) -> {
            head.append(name).append(": ").append(value).append("\r\n");
            if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                reusable = false;
            }
        });
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        CheckedHttpResponse response;
        do {
            response = readResponse(deadlineNanos);
        } while (response.status() >= 100 && response.status() < 200);
        return response;
    }

    private CheckedHttpResponse readResponse(long deadlineNanos) throws IOException {
        String statusLine = readLine(deadlineNanos);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            reusable = false;
            throw new IOException("not an HTTP/1.x response: " + truncate(statusLine));
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = readHeaders(deadlineNanos);
        if ("close".equalsIgnoreCase(headers.get("connection")) || parts[0].equals("HTTP/1.0")) {
            reusable = false;
        }
        if (status < 200 || status == 204 || status == 304) {
            return new CheckedHttpResponse(status, headers, "");
        }
        byte[] kept = readBody(headers, deadlineNanos);
        return new CheckedHttpResponse(status, headers, new String(kept, StandardCharsets.UTF_8));
    }

    private Map<String, String> readHeaders(long deadlineNanos) throws IOException {
        Map<String, String> headers = new HashMap<>();
        int total = 0;
        for (String line = readLine(deadlineNanos); !line.isEmpty(); line = readLine(deadlineNanos)) {
            total += line.length();
            if (total > MAX_HEADER_BYTES) {
                reusable = false;
                throw new IOException("response headers too large");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    private byte[] readBody(Map<String, String> headers, long deadlineNanos) throws IOException {
        Body sink = new Body();
        String encoding = headers.getOrDefault("transfer-encoding", "");
        if (encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            for (long size = chunkSize(deadlineNanos); size > 0; size = chunkSize(deadlineNanos)) {
                if (!copy(size, sink, deadlineNanos)) {
                    return sink.kept.toByteArray();
                }
                readLine(deadlineNanos);
            }
            for (String trailer = readLine(deadlineNanos); !trailer.isEmpty(); trailer = readLine(deadlineNanos)) {
                // Trailers carry nothing a sender needs; they are read only to keep the connection in step.
            }
        } else if (headers.containsKey("content-length")) {
            copy(Long.parseLong(headers.get("content-length").strip()), sink, deadlineNanos);
        } else {
            reusable = false;
            copy(Long.MAX_VALUE, sink, deadlineNanos);
        }
        return sink.kept.toByteArray();
    }

    private long chunkSize(long deadlineNanos) throws IOException {
        String line = readLine(deadlineNanos);
        int semicolon = line.indexOf(';');
        try {
            return Long.parseLong((semicolon >= 0 ? line.substring(0, semicolon) : line).strip(), 16);
        } catch (NumberFormatException e) {
            reusable = false;
            throw new IOException("bad chunk size: " + truncate(line));
        }
    }

    /** The kept start of a body, and how much of it was read. */
    private final class Body {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream(Math.min(keptBodyBytes, 8192));
        private long seen;

        /** Bytes still worth reading: a reusable connection is drained, a closing one only read as far as kept. */
        long room() {
            return (reusable ? MAX_DRAIN_BYTES : keptBodyBytes) - seen;
        }

        void accept(byte[] buffer, int length) {
            kept.write(buffer, 0, (int) Math.max(0, Math.min(keptBodyBytes - kept.size(), length)));
            seen += length;
        }
    }

    /**
     * Reads {@code length} bytes (or up to EOF for {@link Long#MAX_VALUE}) into the body; false when it stopped at
     * the body's limit, which costs the connection: the rest is dropped with the socket.
     */
    private boolean copy(long length, Body sink, long deadlineNanos) throws IOException {
        byte[] buffer = new byte[8192];
        long remaining = length;
        while (remaining > 0) {
            long room = sink.room();
            if (room <= 0) {
                reusable = false;
                return false;
            }
            arm(deadlineNanos);
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, Math.min(remaining, room)));
            if (read < 0) {
                if (length == Long.MAX_VALUE) {
                    return true;
                }
                reusable = false;
                throw new EOFException("connection closed mid-body");
            }
            sink.accept(buffer, read);
            remaining -= read;
        }
        return true;
    }

    private String readLine(long deadlineNanos) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            arm(deadlineNanos);
            int b = in.read();
            if (b < 0) {
                reusable = false;
                throw new EOFException("connection closed before the response was complete");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() > MAX_HEADER_BYTES) {
                reusable = false;
                throw new IOException("response line too long");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * Each read may wait only for what is left of the total timeout. Reads are mostly single bytes from the
     * buffer, so the socket timeout is re-armed at most every {@link #REARM_NANOS} (the deadline may be overrun by
     * that much) rather than by a socket call per byte.
     */
    private void arm(long deadlineNanos) throws IOException {
        long now = System.nanoTime();
        long leftMs = (deadlineNanos - now) / 1_000_000;
        if (leftMs <= 0) {
            reusable = false;
            throw new SocketTimeoutException("request timed out");
        }
        if (armedDeadline != deadlineNanos || now - armedAt > REARM_NANOS) {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMs));
            armedDeadline = deadlineNanos;
            armedAt = now;
        }
    }

    private static String truncate(String text) {
        return text.length() > 100 ? text.substring(0, 100) : text;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
