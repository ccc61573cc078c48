package io.sipai.launcher;

import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.sipai.schemas.telephony.TwilioSignature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code launcher.jar smoke BASE_URL}: proves that a deployment answers a phone call, the way Twilio drives it.
 * With an admin API key it creates a throw-away agent and phone number, sends the number's signed voice webhook to
 * api-gateway, opens the media stream the returned TwiML names (signed, with the per-call token), streams silence
 * until the agent's greeting audio arrives, reads the call back from the REST API, and removes what it created.
 * Any step that fails ends the run with its reason. Run by the deploy workflow after every deploy and by the test
 * suite against the one-machine platform.
 *
 * @param base            the public base URL of api-gateway ({@code https://voice.example.com})
 * @param apiKey          an admin API key of the tenant that owns the smoke agent ({@code SMOKE_API_KEY})
 * @param twilioAuthToken the deployment's {@code TWILIO_AUTH_TOKEN}, to sign as Twilio does
 * @param timeout         how long each step may take
 */
record CallSmoke(URI base, String apiKey, String twilioAuthToken, Duration timeout) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern STREAM = Pattern.compile("<Stream url=\"([^\"]+)\"");
    private static final Pattern PARAMETER = Pattern.compile("<Parameter name=\"([^\"]+)\" value=\"([^\"]*)\"/>");

    /** The smoke run from the environment: {@code SMOKE_API_KEY}, {@code TWILIO_AUTH_TOKEN}. */
    static CallSmoke fromEnvironment(String base, Map<String, String> env) {
        String key = env.getOrDefault("SMOKE_API_KEY", "");
        String token = env.getOrDefault("TWILIO_AUTH_TOKEN", "");
        if (key.isBlank() || token.isBlank()) {
            throw new IllegalArgumentException("smoke needs SMOKE_API_KEY (an admin API key) and TWILIO_AUTH_TOKEN");
        }
        return new CallSmoke(URI.create(base.replaceAll("/+$", "")), key, token, Duration.ofSeconds(30));
    }

    /** Runs the call; 0 when every step passed. */
    int run(PrintStream out) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            String agentId = json(send(http, "POST", "/v1/agents", Map.of("name", "sipai smoke test",
                    "greeting", "This is the sipai smoke test.", "language", "en-US"), 201)).get("id").asString();
            String number = "+1555" + String.format(Locale.ROOT, "%07d", ThreadLocalRandom.current()
                    .nextInt(10_000_000));
            try {
                send(http, "POST", "/v1/phone-numbers", Map.of("number", number, "agentId", agentId), 201);
                out.println("smoke: agent " + agentId + " answers " + number);
                call(http, number, out);
                return 0;
            } finally {
                send(http, "DELETE", "/v1/phone-numbers/" + URLEncoder.encode(number, StandardCharsets.UTF_8),
                        null, 204);
                send(http, "DELETE", "/v1/agents/" + agentId, null, 204);
            }
        }
    }

    private void call(HttpClient http, String number, PrintStream out) throws Exception {
        String callSid = "CA" + hex(32);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("CallSid", callSid);
        form.put("AccountSid", "AC" + hex(32));
        form.put("From", "+15550000001");
        form.put("To", number);
        form.put("CallStatus", "ringing");
        form.put("Direction", "inbound");
        String twiml = voiceWebhook(http, form);
        Matcher stream = STREAM.matcher(twiml);
        if (!stream.find()) {
            throw new IllegalStateException("the voice webhook did not connect a stream: " + twiml);
        }
        String streamUrl = stream.group(1).replace("&amp;", "&");
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher parameter = PARAMETER.matcher(twiml);
        while (parameter.find()) {
            parameters.put(parameter.group(1), parameter.group(2).replace("&amp;", "&"));
        }
        out.println("smoke: TwiML connects " + streamUrl + " with " + parameters.keySet());
        TwilioMediaStream media = new TwilioMediaStream(URI.create(streamUrl),
                new TwilioSignature(twilioAuthToken).sign(streamUrl), callSid, parameters);
        long audioBytes = media.awaitGreeting(http, timeout);
        out.println("smoke: greeting received, " + audioBytes + " bytes of audio");
        String callId = parameters.get("callId");
        JsonNode seen = json(send(http, "GET", "/v1/calls/" + callId, null, 200));
        out.println("smoke: call " + callId + " is " + seen.path("status").asString() + " in the API");
        media.hangUp();
    }

    private String voiceWebhook(HttpClient http, Map<String, String> form) throws Exception {
        String url = base + "/telephony/twilio/voice";
        Map<String, List<String>> params = form.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> List.of(e.getValue())));
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", new TwilioSignature(twilioAuthToken).sign(url, params))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST /telephony/twilio/voice answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private String send(HttpClient http, String method, String path, Object body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("X-API-Key", apiKey);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    private static String hex(int digits) {
        StringBuilder hex = new StringBuilder();
        while (hex.length() < digits) {
            hex.append(Integer.toHexString(ThreadLocalRandom.current().nextInt(16)));
        }
        return hex.toString();
    }

    @Override
    public String toString() {
        return "CallSmoke[base=" + base + "]";
    }
}
