package io.sipai.dispatcher.delivery.internal;

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

import io.sipai.runtime.ssrf.CheckedTarget;

/**
 * One HTTP/1.1 connection to a checked address. The socket connects to the IP the SSRF guard accepted; the URL's
 * host goes into the Host header, the TLS server name and certificate verification, so rebinding the name cannot
 * move the connection elsewhere. Reads only as much of the response as framing requires, keeping 1 KB.
 */
final class HttpConnection implements AutoCloseable {

    static final int KEPT_BODY_BYTES = 1024;
    private static final int MAX_DRAIN_BYTES = 1 << 20;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final long REARM_NANOS = 50_000_000L;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean reusable = true;
    private long armedDeadline;
    private long armedAt;

    private HttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = socket.getOutputStream();
    }

    static HttpConnection open(CheckedTarget target, int connectTimeoutMs) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(target.address(), target.port()), connectTimeoutMs);
            if (!target.tls()) {
                return new HttpConnection(raw);
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
            return new HttpConnection(tls);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    boolean reusable() {
        return reusable && !socket.isClosed();
    }

    /** Sends one POST and reads the response before {@code deadlineNanos}. */
    HttpResult post(CheckedTarget target, Map<String, String> headers, byte[] body, long deadlineNanos)
            throws IOException {
        StringBuilder head = new StringBuilder(512);
        head.append("POST ").append(target.requestTarget()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target.hostHeader()).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        HttpResult result;
        do {
            result = readResponse(deadlineNanos);
        } while (result.status() >= 100 && result.status() < 200);
        return result;
    }

    private HttpResult readResponse(long deadlineNanos) throws IOException {
        String statusLine = readLine(deadlineNanos);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            reusable = false;
            throw new IOException("not an HTTP/1.x response: " + truncate(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            reusable = false;
            throw new IOException("bad status line: " + truncate(statusLine));
        }
        Map<String, String> headers = readHeaders(deadlineNanos);
        if ("close".equalsIgnoreCase(headers.get("connection")) || parts[0].equals("HTTP/1.0")) {
            reusable = false;
        }
        if (status < 200 || status == 204 || status == 304) {
            return new HttpResult(status, headers, "");
        }
        byte[] kept = readBody(headers, deadlineNanos);
        return new HttpResult(status, headers, new String(kept, StandardCharsets.UTF_8));
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
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    private byte[] readBody(Map<String, String> headers, long deadlineNanos) throws IOException {
        BodySink sink = new BodySink();
        String encoding = headers.getOrDefault("transfer-encoding", "");
        if (encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            for (long size = chunkSize(deadlineNanos); size > 0; size = chunkSize(deadlineNanos)) {
                copy(size, sink, deadlineNanos);
                readLine(deadlineNanos);
            }
            for (String trailer = readLine(deadlineNanos); !trailer.isEmpty(); trailer = readLine(deadlineNanos)) {
                // Trailers carry nothing a webhook sender needs.
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

    private final class BodySink {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream(KEPT_BODY_BYTES);
        private long seen;

        void accept(byte[] buffer, int length) throws IOException {
            int room = KEPT_BODY_BYTES - kept.size();
            kept.write(buffer, 0, Math.min(room, length));
            seen += length;
            if (seen > MAX_DRAIN_BYTES) {
                reusable = false;
                throw new DrainLimit();
            }
        }
    }

    /** The rest of a huge body is not worth reading: the connection is dropped instead. */
    private static final class DrainLimit extends IOException {
    }

    private void copy(long length, BodySink sink, long deadlineNanos) throws IOException {
        byte[] buffer = new byte[8192];
        long remaining = length;
        try {
            while (remaining > 0) {
                arm(deadlineNanos);
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (read < 0) {
                    if (length == Long.MAX_VALUE) {
                        return;
                    }
                    reusable = false;
                    throw new EOFException("connection closed mid-body");
                }
                sink.accept(buffer, read);
                remaining -= read;
            }
        } catch (DrainLimit e) {
            // Status and the kept prefix are already known; the body's tail is irrelevant.
        }
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
