package io.sipai.edge.tools.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import io.sipai.runtime.ssrf.SsrfGuard;
import io.sipai.runtime.ssrf.SsrfRefusedException;

/**
 * One HTTP/1.1 POST to a customer's URL, guarded against SSRF the way webhook-dispatcher delivers webhooks: the
 * {@link SsrfGuard} resolves the host once and checks every address at connect time, and the socket connects to the
 * checked address; the URL's host is only the Host header, the TLS server name and the certificate check, so a DNS
 * answer that changes between check and connect cannot reach an internal address. A fresh connection per call
 * ({@code Connection: close}); redirects are not followed. Blocking: callers run it on a virtual thread.
 */
public final class GuardedPost {

    private static final int MAX_HEADER_BYTES = 64 * 1024;

    /** What the endpoint answered; {@code body} is cut at the caller's limit. */
    public record Result(int status, String body) {
    }

    private GuardedPost() {
    }

    /**
     * @param timeoutMs connect, TLS handshake and each read may take this long
     * @param maxBody   bytes of the response body kept
     * @throws SsrfRefusedException when the guard refuses the URL or any address it resolves to
     */
    public static Result post(SsrfGuard guard, String url, Map<String, String> headers, byte[] body, int timeoutMs,
                              int maxBody) throws SsrfRefusedException, IOException {
        CheckedTarget target = guard.resolve(url);
        try (Socket socket = open(target, timeoutMs)) {
            StringBuilder head = new StringBuilder(512);
            head.append("POST ").append(target.requestTarget()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(target.hostHeader()).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n")
                    .append("Connection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            int status;
            Map<String, String> responseHeaders;
            do {
                status = status(readLine(in));
                responseHeaders = readHeaders(in);
            } while (status >= 100 && status < 200);
            if (status == 204 || status == 304) {
                return new Result(status, "");
            }
            return new Result(status, new String(readBody(in, responseHeaders, maxBody), StandardCharsets.UTF_8));
        }
    }

    private static Socket open(CheckedTarget target, int timeoutMs) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.setSoTimeout(timeoutMs);
            raw.connect(new InetSocketAddress(target.address(), target.port()), timeoutMs);
            if (!target.tls()) {
                return raw;
            }
            SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(raw, target.host(), target.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (target.hostIsName()) {
                parameters.setServerNames(List.of(new SNIHostName(target.host())));
            }
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(timeoutMs);
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static int status(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP/1.x response");
        }
        return Integer.parseInt(parts[1]);
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers, int maxBody) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream(Math.min(maxBody, 8192));
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            for (long size = chunkSize(readLine(in)); size > 0 && kept.size() < maxBody; size = chunkSize(readLine(in))) {
                copy(in, size, kept, maxBody);
                readLine(in);
            }
        } else if (headers.containsKey("content-length")) {
            copy(in, Long.parseLong(headers.get("content-length")), kept, maxBody);
        } else {
            copy(in, Long.MAX_VALUE, kept, maxBody);
        }
        return kept.toByteArray();
    }

    private static long chunkSize(String line) throws IOException {
        int semicolon = line.indexOf(';');
        try {
            return Long.parseLong((semicolon >= 0 ? line.substring(0, semicolon) : line).strip(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size");
        }
    }

    /** Copies up to {@code length} bytes, keeping at most {@code maxBody}; the rest is dropped with the socket. */
    private static void copy(InputStream in, long length, ByteArrayOutputStream kept, int maxBody)
            throws IOException {
        byte[] buffer = new byte[8192];
        long remaining = length;
        while (remaining > 0 && kept.size() < maxBody) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, Math.min(remaining, maxBody - kept.size())));
            if (read < 0) {
                if (length == Long.MAX_VALUE) {
                    return;
                }
                throw new EOFException("connection closed mid-body");
            }
            kept.write(buffer, 0, read);
            remaining -= read;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed before the response was complete");
            }
            if (line.size() > MAX_HEADER_BYTES) {
                throw new IOException("response line too long");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
