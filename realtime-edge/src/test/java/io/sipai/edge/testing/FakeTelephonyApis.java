package io.sipai.edge.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sipai.schemas.telephony.JambonzSignature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loopback stand-ins for the providers' REST APIs, one per test JVM. Twilio: {@code POST
 * /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json} with Basic auth (401 when wrong, as Twilio) and a
 * {@code Twiml} form field (400 without). jambonz: {@code PUT /v1/Accounts/{sid}/Calls/{callSid}} with Bearer
 * auth (401) and a {@code call_hook} (400 without), answered 204; then, as jambonz does, it POSTs the call's details
 * to the hook URL it received, signed with {@code Jambonz-Signature}, and records the verbs the hook answered.
 * A call SID put in {@link #failWith} is answered with that status instead; one put in {@link #answerDelay} is
 * answered only after that delay (a provider too slow for the edge's transfer timeout).
 */
public final class FakeTelephonyApis {

    public static final String JAMBONZ_ACCOUNT = "fef61e75-cec3-496c-a7bc-8368e4d02a04";
    public static final String JAMBONZ_TOKEN = "jambonz-api-key-0001";
    public static final String JAMBONZ_WEBHOOK_SECRET = "jambonz-webhook-secret-0001";

    private static final Pattern TWILIO_PATH = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Calls/([^/]+)\\.json");
    private static final Pattern JAMBONZ_PATH = Pattern.compile("/v1/Accounts/" + JAMBONZ_ACCOUNT + "/Calls/([^/]+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static FakeTelephonyApis instance;

    /** A Twilio call update that passed the checks. */
    public record TwilioUpdate(String accountSid, String callSid, String authorization, String twiml) {
    }

    /** A jambonz call update that passed the checks, and what its hook answered. */
    public record JambonzUpdate(String callSid, JsonNode body, int hookStatus, String hookAnswer) {
    }

    public final Map<String, TwilioUpdate> twilioUpdates = new ConcurrentHashMap<>();
    public final Map<String, JambonzUpdate> jambonzUpdates = new ConcurrentHashMap<>();
    public final Map<String, Integer> failWith = new ConcurrentHashMap<>();
    public final Map<String, Duration> answerDelay = new ConcurrentHashMap<>();
    private final Map<String, String> twilioTokens = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    private FakeTelephonyApis() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/2010-04-01/", this::twilio);
        server.createContext("/v1/", this::jambonz);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The JVM's fake, started on first use. */
    public static synchronized FakeTelephonyApis get() {
        if (instance == null) {
            try {
                instance = new FakeTelephonyApis();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    /** TWILIO_API_BASE_URL of the fake. */
    public String twilioBaseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** JAMBONZ_OUTCALL_URL of the fake. */
    public String jambonzOutcallUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/Accounts/" + JAMBONZ_ACCOUNT + "/Calls";
    }

    /** The auth token the Twilio fake expects for an account (the edge's TWILIO_AUTH_TOKEN). */
    public void twilioAccount(String accountSid, String authToken) {
        twilioTokens.put(accountSid, authToken);
    }

    private void twilio(HttpExchange exchange) throws IOException {
        Matcher path = TWILIO_PATH.matcher(exchange.getRequestURI().getRawPath());
        if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
            answer(exchange, 404, "{\"code\":20404,\"message\":\"not found\"}");
            return;
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString((path.group(1) + ":"
                + twilioTokens.getOrDefault(path.group(1), EdgeIntegrationTest.TWILIO_TOKEN)).getBytes(StandardCharsets.UTF_8));
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (!expected.equals(authorization)) {
            answer(exchange, 401, "{\"code\":20003,\"message\":\"Authenticate\"}");
            return;
        }
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!form.containsKey("Twiml") || !"application/x-www-form-urlencoded".equals(
                exchange.getRequestHeaders().getFirst("Content-Type"))) {
            answer(exchange, 400, "{\"code\":21201,\"message\":\"Twiml is required\"}");
            return;
        }
        String callSid = path.group(2);
        delay(callSid);
        Integer failure = failWith.get(callSid);
        if (failure != null) {
            answer(exchange, failure, "{\"code\":20500,\"message\":\"internal error\"}");
            return;
        }
        twilioUpdates.put(callSid, new TwilioUpdate(path.group(1), callSid, authorization, form.get("Twiml")));
        answer(exchange, 200, "{\"sid\":\"" + callSid + "\",\"status\":\"in-progress\"}");
    }

    private void jambonz(HttpExchange exchange) throws IOException {
        Matcher path = JAMBONZ_PATH.matcher(exchange.getRequestURI().getRawPath());
        if (!"PUT".equals(exchange.getRequestMethod()) || !path.matches()) {
            answer(exchange, 404, "{\"msg\":\"not found\"}");
            return;
        }
        if (!("Bearer " + JAMBONZ_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, "{\"msg\":\"invalid api key\"}");
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String hook = body.path("call_hook").path("url").asString(null);
        if (hook == null || !"POST".equals(body.path("call_hook").path("method").asString(null))) {
            answer(exchange, 400, "{\"msg\":\"call_hook url and method required\"}");
            return;
        }
        String callSid = path.group(1);
        delay(callSid);
        Integer failure = failWith.get(callSid);
        if (failure != null) {
            answer(exchange, failure, "{\"msg\":\"failed\"}");
            return;
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
        // jambonz now executes the new call_hook: request it as jambonz would, signed.
        HttpResponse<String> verbs = requestHook(hook, callSid);
        jambonzUpdates.put(callSid, new JambonzUpdate(callSid, body, verbs.statusCode(), verbs.body()));
    }

    /** POSTs a call-hook request for {@code callSid} to {@code hook}, signed as jambonz signs it. */
    public HttpResponse<String> requestHook(String hook, String callSid) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("call_sid", callSid);
        payload.put("direction", "inbound");
        payload.put("call_status", "in-progress");
        payload.put("account_sid", JAMBONZ_ACCOUNT);
        byte[] raw = JSON.writeValueAsBytes(payload);
        long t = Instant.now().getEpochSecond();
        try {
            return client.send(HttpRequest.newBuilder(URI.create(hook)).header("Content-Type", "application/json")
                    .header("Jambonz-Signature", "t=" + t + ",v1=" + JambonzSignature.sign(JAMBONZ_WEBHOOK_SECRET, t,
                            raw)).POST(HttpRequest.BodyPublishers.ofByteArray(raw)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void delay(String callSid) {
        Duration delay = answerDelay.get(callSid);
        if (delay != null) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
