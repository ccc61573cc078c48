package io.sipai.dispatcher.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP webhook receiver on loopback. Each request is recorded (headers, raw body) and answered by a
 * programmable behaviour: the answer's status, headers and body, or a hang.
 */
public final class Receiver implements AutoCloseable {

    /** One received request. */
    public record Received(String path, Map<String, List<String>> headers, String body, long receivedAtNanos) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    /** How to answer. */
    public record Answer(int status, Map<String, String> headers, boolean hangs) {
        public static Answer status(int status) {
            return new Answer(status, Map.of(), false);
        }

        public static Answer hanging() {
            return new Answer(0, Map.of(), true);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Answer> behaviour = request -> Answer.status(204);
    private final Object hangLock = new Object();
    private volatile boolean closed;

    public Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public void behave(Function<Received, Answer> behaviour) {
        this.behaviour = behaviour;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests that reached {@code path}. */
    public List<Received> received(String path) {
        return received.stream().filter(request -> request.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            Received request = new Received(exchange.getRequestURI().getPath(), headers,
                    new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    System.nanoTime());
            received.add(request);
            Answer answer = behaviour.apply(request);
            if (answer.hangs()) {
                synchronized (hangLock) {
                    while (!closed) {
                        hangLock.wait(1_000);
                    }
                }
                return;
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] body = ("answer " + answer.status()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (hangLock) {
            hangLock.notifyAll();
        }
        server.stop(0);
    }
}
