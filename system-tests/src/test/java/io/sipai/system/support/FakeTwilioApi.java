package io.sipai.system.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Twilio's REST API as far as api-gateway uses it to place and end calls ({@code TWILIO_API_BASE_URL}): every
 * {@code POST .../Calls.json} answers 201 with a new call sid, every {@code POST .../Calls/{sid}.json} 200. It
 * checks nothing; the gateway's own tests check the request format.
 */
public final class FakeTwilioApi implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final AtomicInteger placed = new AtomicInteger();

    private FakeTwilioApi(HttpServer server) {
        this.server = server;
    }

    /** Starts the fake on a free loopback port. */
    public static FakeTwilioApi start() {
        try {
            FakeTwilioApi api = new FakeTwilioApi(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
            api.server.createContext("/2010-04-01/Accounts/", api::handle);
            api.server.setExecutor(api.executor);
            api.server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of TWILIO_API_BASE_URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Calls placed so far. */
    public int placed() {
        return placed.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        boolean newCall = exchange.getRequestURI().getPath().endsWith("/Calls.json");
        String sid = "CA" + HexFormat.of().formatHex(randomBytes());
        if (newCall) {
            placed.incrementAndGet();
        }
        byte[] body = ("{\"sid\":\"" + sid + "\",\"status\":\"" + (newCall ? "queued" : "completed") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(newCall ? 201 : 200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
