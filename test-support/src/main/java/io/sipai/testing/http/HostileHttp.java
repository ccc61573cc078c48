package io.sipai.testing.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Hostile HTTP/1.1 requests sent byte for byte over a plain socket to a server on loopback: lying or conflicting
 * lengths (request smuggling), oversize heads, HTTP/0.9, garbage, half-closed and slow (slow-loris) connections.
 * Every exchange has a socket timeout, so a server that hangs fails the test instead of stalling it. What a server
 * must do with each: answer a 4xx (or 505 for a version it does not speak) or close the connection, never another
 * 5xx, and close the connection afterwards.
 */
public final class HostileHttp {

    /** Longest wait for an answer or a close. */
    public static final int TIMEOUT_MS = 15_000;
    private static final int MIB = 1_048_576;
    private static final String CUT_REQUEST_LINE = "control bytes in the request line";
    private static final String TLS_HELLO = "TLS client hello on the plain port";
    private static final String RANDOM_BYTES = "random bytes";
    private static final Set<String> NOT_HTTP = Set.of(CUT_REQUEST_LINE, TLS_HELLO, "256 " + RANDOM_BYTES,
            RANDOM_BYTES);

    private final int port;

    public HostileHttp(int port) {
        this.port = port;
    }

    /**
     * One hostile request.
     *
     * @param halfClose whether the client shuts its output down after sending (the server sees end of stream)
     */
    public record Attack(String name, byte[] bytes, boolean halfClose) {

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * What the server did.
     *
     * @param status HTTP status of its answer, -1 when it closed without one, 0 for an answer that is not HTTP/1.x
     * @param closed whether it closed the connection within {@link #TIMEOUT_MS}
     * @param head   the first bytes of its answer (ISO-8859-1), for the report
     */
    public record Outcome(String attack, int status, boolean closed, long millis, String head) {

        /**
         * A 4xx or no answer, and the connection closed: what every hostile request must get. The one 5xx allowed
         * is 505 HTTP Version Not Supported, which RFC 9110 prescribes for a version the server does not speak
         * (Jetty's answer to HTTP/0.9 and to a corrupted version), a refusal rather than a server failure. And Tomcat
         * reads bytes that are no HTTP/1.x request line at all (cut short by a control byte, random bytes, a TLS
         * hello) as HTTP/0.9 (no version yet), so its 400 error page goes out without a status line, HTTP/0.9 having
         * none: for those attacks only, that answer counts as a refusal.
         */
        public boolean refusedCleanly() {
            return closed && (status == -1 || (status >= 400 && status < 500) || status == 505
                    || (status == 0 && NOT_HTTP.contains(attack)));
        }

        /** For a request that may still be valid (a random mutation): any answer but a server failure, then a close. */
        public boolean answeredWithoutFailure() {
            return closed && (status < 500 || status == 505);
        }
    }

    /** The fixed catalogue, aimed at {@code path} (a path the server serves). */
    public static List<Attack> attacks(String path) {
        List<Attack> attacks = new ArrayList<>();
        attacks.add(post("content-length 2^63", path, "Content-Length: 9223372036854775808", "{}"));
        attacks.add(post("content-length 2^64+1", path, "Content-Length: 18446744073709551617", "{}"));
        attacks.add(post("content-length negative", path, "Content-Length: -1", "{}"));
        attacks.add(post("content-length not a number", path, "Content-Length: 12abc", "{}"));
        attacks.add(post("content-length twice, different", path, "Content-Length: 2\r\nContent-Length: 3", "{}"));
        attacks.add(post("content-length list, different", path, "Content-Length: 2, 3", "{}"));
        attacks.add(post("transfer-encoding and content-length (smuggling)", path,
                "Content-Length: 4\r\nTransfer-Encoding: chunked",
                "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"));
        attacks.add(post("chunk size not hex", path, "Transfer-Encoding: chunked", "zz\r\n{}\r\n0\r\n\r\n"));
        attacks.add(post("chunk size beyond 64 bits", path, "Transfer-Encoding: chunked",
                "fffffffffffffffffffff\r\n{}\r\n0\r\n\r\n"));
        attacks.add(post("chunk size negative", path, "Transfer-Encoding: chunked", "-2\r\n{}\r\n0\r\n\r\n"));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            many.append(i == 0 ? "" : "\r\n").append("X-H").append(i).append(": v");
        }
        attacks.add(get("10,000 headers", path, many.toString()));
        attacks.add(get("1 MiB header value", path, "X-Big: " + "a".repeat(MIB)));
        attacks.add(ascii("1 MiB request line", "GET " + path + "?q=" + "a".repeat(MIB)
                + " HTTP/1.1\r\nHost: x\r\n\r\n", false));
        attacks.add(ascii("HTTP/0.9 request", "GET " + path + "\r\n\r\n", false));
        attacks.add(ascii(CUT_REQUEST_LINE, "GET /a\u0001b HTTP/1.1\r\nHost: x\r\n\r\n",
                false));
        attacks.add(ascii("half-closed after part of the headers", "GET " + path + " HTTP/1.1\r\nHost: x\r\nX-A:",
                true));
        attacks.add(ascii("half-closed after part of the body", "POST " + path
                + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":", true));
        attacks.add(new Attack(TLS_HELLO, new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01,
                0x00, 0x01, (byte) 0xFC, 0x03, 0x03}, true));
        attacks.add(new Attack("256 " + RANDOM_BYTES, garbage(new Random(16), 256), true));
        return attacks;
    }

    /**
     * Random bytes, or a valid request with some bits flipped, from a seeded generator; the client half-closes after
     * it, so a server that still waits for more reads end of stream instead of its header timeout.
     */
    public static Attack random(Random random, String path) {
        if (random.nextBoolean()) {
            return new Attack(RANDOM_BYTES, garbage(random, 1 + random.nextInt(2_048)), true);
        }
        byte[] valid = ("GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
            valid[random.nextInt(valid.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return new Attack("bit-flipped request", valid, true);
    }

    /** Sends {@code attack} on a new connection and reads until the server closes it or the timeout passes. */
    public Outcome send(Attack attack) {
        long start = System.nanoTime();
        try (Socket socket = connect(TIMEOUT_MS)) {
            OutputStream out = socket.getOutputStream();
            try {
                out.write(attack.bytes());
                out.flush();
                if (attack.halfClose()) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // The server may answer and close before it has read an oversize request: read what it sent.
            }
            Answer answer = readToClose(socket.getInputStream());
            return new Outcome(attack.name(), answer.status, answer.closed, elapsedMs(start), answer.head);
        } catch (IOException e) {
            return new Outcome(attack.name(), -1, true, elapsedMs(start), "");
        }
    }

    /**
     * A slow-loris client: the request line, then one header byte every {@code pauseMs}. Returns how long the
     * server let it trickle before it closed the connection (or answered and closed); fails after {@code maxMs}.
     */
    public long slowLoris(String path, int pauseMs, int maxMs) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = connect(pauseMs)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (elapsedMs(start) < maxMs) {
                try {
                    if (in.read() < 0) {
                        return elapsedMs(start);
                    }
                    readToClose(in);
                    return elapsedMs(start);
                } catch (SocketTimeoutException stillOpen) {
                    try {
                        out.write('x');
                        out.flush();
                    } catch (SocketException closed) {
                        return elapsedMs(start);
                    }
                } catch (SocketException reset) {
                    return elapsedMs(start);
                }
            }
            throw new IllegalStateException("the server still reads a slow-loris request after " + maxMs + " ms");
        }
    }

    /**
     * Sends {@code connections} hostile requests, {@code parallel} at a time, each drawn from {@code attacks} and
     * {@link #random} with a seeded generator; returns the outcomes that were not a clean refusal.
     */
    public List<Outcome> storm(List<Attack> attacks, String path, int connections, int parallel, long seed) {
        Random random = new Random(seed);
        List<Attack> planned = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            planned.add(random.nextInt(3) == 0 ? random(random, path) : attacks.get(random.nextInt(attacks.size())));
        }
        List<Outcome> failures = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
            for (Attack attack : planned) {
                pool.execute(() -> {
                    Outcome outcome = send(attack);
                    if (!(attack.name().startsWith("bit-flipped") ? outcome.answeredWithoutFailure()
                            : outcome.refusedCleanly())) {
                        failures.add(outcome);
                    }
                });
            }
        }
        return failures;
    }

    /** The attacks of {@link #attacks} small enough to repeat thousands of times (nothing of a mebibyte). */
    public static List<Attack> small(List<Attack> attacks) {
        return attacks.stream().filter(attack -> attack.bytes().length < 65_536).toList();
    }

    /** A normal {@code GET path} on a new connection; returns the status. */
    public int get(String path) {
        return send(ascii("GET " + path, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                false)).status();
    }

    private Socket connect(int soTimeoutMs) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
        socket.setSoTimeout(soTimeoutMs);
        return socket;
    }

    private record Answer(int status, boolean closed, String head) {
    }

    private static Answer readToClose(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] buffer = new byte[8_192];
        boolean closed;
        try {
            for (int n = in.read(buffer); ; n = in.read(buffer)) {
                if (n < 0) {
                    closed = true;
                    break;
                }
                if (head.size() < 96) {
                    head.write(buffer, 0, Math.min(n, 96));
                }
            }
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (SocketException e) {
            // A reset: the server closed with unread request bytes.
            closed = true;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return new Answer(status(text), closed, text.length() > 96 ? text.substring(0, 96) : text);
    }

    private static int status(String head) {
        if (head.isEmpty()) {
            return -1;
        }
        if (!head.startsWith("HTTP/1.") || head.length() < 12) {
            return 0;
        }
        try {
            return Integer.parseInt(head.substring(9, 12));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Attack post(String name, String path, String lengthHeaders, String body) {
        return ascii(name, "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + lengthHeaders + "\r\n\r\n" + body, false);
    }

    private static Attack get(String name, String path, String headers) {
        return ascii(name, "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n\r\n", false);
    }

    private static Attack ascii(String name, String request, boolean halfClose) {
        return new Attack(name, request.getBytes(StandardCharsets.ISO_8859_1), halfClose);
    }

    private static byte[] garbage(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
