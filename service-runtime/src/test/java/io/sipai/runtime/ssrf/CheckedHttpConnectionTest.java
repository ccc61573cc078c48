package io.sipai.runtime.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 POSTs to a checked loopback address, against a raw socket server that answers a scripted response. */
class CheckedHttpConnectionTest {

    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    private final ServerSocket server = server();
    private final CompletableFuture<String> request = new CompletableFuture<>();

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void connectsToTheCheckedAddressAndKeepsOnlyTheStartOfTheBody() throws Exception {
        // given an endpoint answering 200 with a 5000 byte body
        answer("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nX-Id: 7\r\n\r\n" + "x".repeat(5000), false);

        // when
        try (CheckedHttpConnection connection = CheckedHttpConnection.open(target(), 2000, 1024)) {
            CheckedHttpResponse response = connection.post(target(), Map.of("X-Test", "yes"), BODY, deadline(5000));

            // then the request reached the server with the URL's Host, and 1 KB of the body is kept
            assertThat(request.get(5, TimeUnit.SECONDS)).startsWith("POST /hook?q=1 HTTP/1.1\r\n")
                    .contains("Host: 127.0.0.1:" + server.getLocalPort() + "\r\n", "X-Test: yes\r\n")
                    .endsWith("{\"a\":1}");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers()).containsEntry("x-id", "7");
            assertThat(response.body()).hasSize(1024);
            assertThat(connection.reusable()).isTrue();
        }
    }

    @Test
    void aChunkedBodyBeyondTheDrainLimitStillGivesTheAnswerButNotTheConnection() throws Exception {
        // given an endpoint answering 200 with a chunked body longer than the drain limit
        String chunk = Integer.toHexString(64 * 1024) + "\r\n" + "y".repeat(64 * 1024) + "\r\n";
        answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk.repeat(20) + "0\r\n\r\n", false);

        // when
        try (CheckedHttpConnection connection = CheckedHttpConnection.open(target(), 2000, 1024)) {
            CheckedHttpResponse response = connection.post(target(), Map.of(), BODY, deadline(5000));

            // then
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("y".repeat(1024));
            assertThat(connection.reusable()).isFalse();
        }
    }

    @Test
    void aClosingRequestReadsOnlyAsFarAsItKeeps() throws Exception {
        // given an endpoint that announces a long body, sends part of it and then holds the connection open
        answer("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "z".repeat(3000), true);

        // when
        try (CheckedHttpConnection connection = CheckedHttpConnection.open(target(), 2000, 2048)) {
            CheckedHttpResponse response = connection.post(target(), Map.of("Connection", "close"), BODY,
                    deadline(5000));

            // then the kept part is the answer; nothing waits for the rest
            assertThat(response.body()).isEqualTo("z".repeat(2048));
            assertThat(connection.reusable()).isFalse();
        }
    }

    @Test
    void anEndpointThatNeverAnswersTimesOutAtTheDeadline() throws Exception {
        // given an endpoint that reads the request and never answers
        answer("", true);

        // when / then
        try (CheckedHttpConnection connection = CheckedHttpConnection.open(target(), 2000, 1024)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> connection.post(target(), Map.of(), BODY, deadline(300)))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
        }
    }

    private CheckedTarget target() throws SsrfRefusedException {
        return new SsrfGuard(List.of("127.0.0.1")).resolve("http://127.0.0.1:" + server.getLocalPort()
                + "/hook?q=1");
    }

    private static long deadline(long ms) {
        return System.nanoTime() + ms * 1_000_000;
    }

    /** Accepts one connection, reads one request and writes {@code response}; keeps the socket open if asked. */
    private void answer(String response, boolean holdOpen) {
        Thread.ofVirtual().start(() -> {
            try (Socket socket = server.accept()) {
                request.complete(readRequest(socket.getInputStream()));
                OutputStream out = socket.getOutputStream();
                out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (holdOpen) {
                    socket.getInputStream().read();
                }
            } catch (IOException e) {
                request.completeExceptionally(e);
            }
        });
    }

    private static String readRequest(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith("\r\n\r\n")) {
            text.append((char) in.read());
        }
        String head = text.toString();
        int at = head.indexOf("Content-Length: ") + "Content-Length: ".length();
        int length = Integer.parseInt(head.substring(at, head.indexOf("\r\n", at)));
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static ServerSocket server() {
        try {
            return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
