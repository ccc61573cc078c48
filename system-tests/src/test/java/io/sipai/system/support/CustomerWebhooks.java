package io.sipai.system.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A customer's webhook endpoint on 127.0.0.1 (the JDK's HTTP server): answers every POST to {@code /hooks} at once
 * with 204 and keeps the parsed body with the moment it arrived, so a scenario can ask which webhooks of which call a
 * customer got, and when.
 */
public final class CustomerWebhooks implements AutoCloseable {

    /** One delivery: {@code type}, the {@code data} object, {@code webhook-id}, and {@link System#nanoTime()}. */
    public record Delivery(String type, JsonNode data, String webhookId, long receivedAtNanos) {

        public String callId() {
            return data.path("callId").asString();
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    private CustomerWebhooks() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hooks", this::receive);
        server.start();
    }

    public static CustomerWebhooks start() {
        try {
            return new CustomerWebhooks();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL to subscribe. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** Deliveries of {@code type} for the call, in arrival order. */
    public List<Delivery> of(String type, String callId) {
        return deliveries.stream().filter(d -> d.type().equals(type) && d.callId().equals(callId)).toList();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            JsonNode json = JSON.readTree(body.readAllBytes());
            deliveries.add(new Delivery(json.path("type").asString(), json.path("data"),
                    exchange.getRequestHeaders().getFirst("webhook-id"), System.nanoTime()));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
