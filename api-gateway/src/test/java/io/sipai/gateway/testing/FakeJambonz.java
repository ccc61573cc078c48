package io.sipai.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A local jambonz REST API speaking the create-call protocol of the protocol sheet: {@code POST
 * /v1/Accounts/{sid}/Calls} with a Bearer key answers 201 {@code {"sid": uuid}} (401 without the key), and
 * {@code PUT .../Calls/{sid}} answers 204. Requests are recorded.
 */
public final class FakeJambonz {

    public static final String TOKEN = "jz-test-token";

    /** A request the fake saw. */
    public record Seen(String method, String path, String authorization, String body) {
    }

    public static final List<Seen> REQUESTS = new CopyOnWriteArrayList<>();
    private static HttpServer server;

    private FakeJambonz() {
    }

    /** The create-call URL (JAMBONZ_OUTCALL_URL). */
    public static synchronized String url() {
        if (server == null) {
            server = LoopbackHttp.serve("/v1/Accounts/acct-1/Calls", 4, exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                REQUESTS.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), auth, body));
                if (!("Bearer " + TOKEN).equals(auth)) {
                    exchange.sendResponseHeaders(401, -1);
                } else if ("POST".equals(exchange.getRequestMethod())) {
                    byte[] answer = ("{\"sid\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(201, answer.length);
                    exchange.getResponseBody().write(answer);
                } else {
                    exchange.sendResponseHeaders(204, -1);
                }
                exchange.close();
            });
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/Accounts/acct-1/Calls";
    }
}
