package io.sipai.gateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local Twilio REST API speaking the Call resource: {@code POST /2010-04-01/Accounts/{AccountSid}/Calls.json}
 * (form-encoded, HTTP Basic {@code AccountSid:AuthToken}) answers 201 with the call's JSON ({@code sid} CA + 32 hex,
 * {@code status} queued); {@code POST .../Calls/{CallSid}.json} with {@code Status=completed} answers 200. Wrong
 * credentials get 401 with Twilio's error JSON (code 20003), a non-form body 400. Requests are recorded raw.
 */
public final class FakeTwilio {

    public static final String ACCOUNT_SID = "ACtest";

    /** A request the fake saw: the body is the raw form. */
    public record Seen(String method, String path, String authorization, String contentType, String body) {
    }

    public static final List<Seen> REQUESTS = new CopyOnWriteArrayList<>();
    private static final Pattern CALL =
            Pattern.compile("/2010-04-01/Accounts/([^/]+)/Calls(?:/(CA[0-9a-f]{32}))?\\.json");
    private static HttpServer server;

    private FakeTwilio() {
    }

    /** TWILIO_API_BASE_URL of the fake. */
    public static synchronized String baseUrl() {
        if (server == null) {
            server = LoopbackHttp.serve("/2010-04-01/Accounts/", FakeTwilio::handle);
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        REQUESTS.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), auth, type, body));
        Matcher call = CALL.matcher(exchange.getRequestURI().getPath());
        String expected = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT_SID + ":" + GatewayTest.TWILIO_TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        if (!call.matches() || !"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\","
                    + "\"status\":404}");
        } else if (!expected.equals(auth) || !ACCOUNT_SID.equals(call.group(1))) {
            answer(exchange, 401, "{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}");
        } else if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
            answer(exchange, 400, "{\"code\":20001,\"message\":\"Invalid content type\",\"status\":400}");
        } else if (call.group(2) == null) {
            String sid = "CA" + HexFormat.of().formatHex(randomBytes());
            answer(exchange, 201, "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + ACCOUNT_SID
                    + "\",\"status\":\"queued\",\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\"}");
        } else {
            answer(exchange, 200, "{\"sid\":\"" + call.group(2) + "\",\"status\":\"completed\"}");
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
