package io.sipai.system.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A customer's webhook endpoint for failure scenarios: a JDK HTTP server on 127.0.0.1 that answers every POST to
 * {@code /hooks/<subscription>} with 200 after a fixed delay (so deliveries are in flight when a dispatcher dies),
 * and records each request in arrival order with its headers and body, and how many requests were open at once per
 * subscription (the endpoint's view of the concurrency cap).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived; {@code atNanos} is {@link System#nanoTime()} when its body was read. */
    public record Arrival(String subscription, String webhookId, String timestamp, String signature, String body,
                          long atNanos) {
    }

    private static final String PATH = "/hooks/";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Duration delay;
    private final List<Arrival> arrivals = new ArrayList<>();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostOpen = new ConcurrentHashMap<>();

    private WebhookReceiver(Duration delay) throws IOException {
        this.delay = delay;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.createContext(PATH, this::handle);
        server.setExecutor(executor);
    }

    /** A receiver answering each request after {@code delay}. */
    public static WebhookReceiver start(Duration delay) {
        try {
            WebhookReceiver receiver = new WebhookReceiver(delay);
            receiver.server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the webhook receiver", e);
        }
    }

    /** The URL a subscription delivers to. */
    public String url(String subscription) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH + subscription;
    }

    /** Every request so far, in arrival order. */
    public List<Arrival> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    /** Requests open now, all subscriptions together. */
    public int openNow() {
        return open.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** The most requests that were open at once to one subscription's endpoint. */
    public int mostOpen(String subscription) {
        AtomicInteger most = mostOpen.get(subscription);
        return most == null ? 0 : most.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String subscription = exchange.getRequestURI().getPath().substring(PATH.length());
        AtomicInteger endpoint = open.computeIfAbsent(subscription, id -> new AtomicInteger());
        int now = endpoint.incrementAndGet();
        mostOpen.computeIfAbsent(subscription, id -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        boolean answered = false;
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            var headers = exchange.getRequestHeaders();
            synchronized (arrivals) {
                arrivals.add(new Arrival(subscription, headers.getFirst("webhook-id"),
                        headers.getFirst("webhook-timestamp"), headers.getFirst("webhook-signature"), body,
                        System.nanoTime()));
            }
            Thread.sleep(delay);
            // The request is over once the answer goes out: the sender may start its next one as soon as it has
            // read it, possibly before this thread gets any further.
            endpoint.decrementAndGet();
            answered = true;
            byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The dispatcher that sent it died: the request arrived, its answer has nowhere to go.
        } finally {
            if (!answered) {
                endpoint.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
