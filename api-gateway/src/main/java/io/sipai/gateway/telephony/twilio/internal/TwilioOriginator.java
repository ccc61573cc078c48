package io.sipai.gateway.telephony.twilio.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.sipai.gateway.problems.Failures;
import io.sipai.gateway.telephony.CallOriginator;
import io.sipai.gateway.telephony.ProviderSid;
import io.sipai.gateway.telephony.TelephonySettings;
import io.sipai.gateway.telephony.twilio.TwilioSettings;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Places calls with Twilio's REST API ({@code POST /2010-04-01/Accounts/{sid}/Calls.json}, Basic auth), pointing
 * the call's voice and status URLs at this gateway with the sipai call id in the query, with Twilio's asynchronous
 * answering machine detection when the agent asks for voicemail detection; hangs up with {@code Status=completed}. Needs {@code TELEPHONY_WEBHOOK_BASE_URL} so Twilio can reach the gateway.
 */
@Component
public class TwilioOriginator implements CallOriginator {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> STATUS_EVENTS = List.of("initiated", "ringing", "answered", "completed");

    private final TwilioSettings settings;
    private final TelephonySettings telephony;
    private final ObjectMapper mapper;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TwilioOriginator(TwilioSettings settings, TelephonySettings telephony, ObjectMapper mapper) {
        this.settings = settings;
        this.telephony = telephony;
        this.mapper = mapper;
    }

    @Override
    public boolean configured() {
        return settings.canOriginate() && telephony.webhookBaseUrl() != null;
    }

    @Override
    public String originate(Origination call) {
        String query = "?callId=" + URLEncoder.encode(call.callId(), StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> form = new ArrayList<>(List.of(Map.entry("To", call.to()),
                Map.entry("From", call.from()),
                Map.entry("Url", telephony.webhookBaseUrl() + TwilioController.VOICE_PATH + query),
                Map.entry("StatusCallback", telephony.webhookBaseUrl() + TwilioController.STATUS_PATH + query)));
        // A list parameter is repeated, one value each (as Twilio's own helper library sends it).
        STATUS_EVENTS.forEach(event -> form.add(Map.entry("StatusCallbackEvent", event)));
        if (call.voicemailAction() != null) {
            // Asynchronous: the call connects at once and a person waits for nothing; the verdict comes later.
            // A message is left at the machine's message end, a hang-up needs only the first verdict.
            form.add(Map.entry("MachineDetection", "leave_message".equals(call.voicemailAction())
                    ? "DetectMessageEnd" : "Enable"));
            form.add(Map.entry("AsyncAmd", "true"));
            form.add(Map.entry("AsyncAmdStatusCallback", telephony.webhookBaseUrl() + TwilioController.AMD_PATH
                    + query + "&action=" + URLEncoder.encode(call.voicemailAction(), StandardCharsets.UTF_8)));
            form.add(Map.entry("AsyncAmdStatusCallbackMethod", "POST"));
        }
        HttpResponse<String> response = post(callsUrl() + ".json", form);
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new OriginationException("HTTP " + response.statusCode() + " " + abbreviate(response.body()));
        }
        try {
            String sid = mapper.readTree(response.body()).path("sid").stringValue(null);
            if (sid == null || !ProviderSid.valid(sid)) {
                throw new OriginationException("Calls.json answer has no valid sid");
            }
            return sid;
        } catch (JacksonException e) {
            throw new OriginationException("Calls.json answer is not JSON", e);
        }
    }

    @Override
    public void hangup(String providerCallSid) {
        if (!ProviderSid.valid(providerCallSid)) {
            throw new OriginationException("the provider call sid is not a URL path segment");
        }
        HttpResponse<String> response = post(callsUrl() + "/" + providerCallSid + ".json",
                List.of(Map.entry("Status", "completed")));
        if (response.statusCode() != 200) {
            throw new OriginationException("HTTP " + response.statusCode() + " " + abbreviate(response.body()));
        }
    }

    private String callsUrl() {
        return settings.apiBaseUrl() + "/2010-04-01/Accounts/" + settings.accountSid() + "/Calls";
    }

    private HttpResponse<String> post(String url, List<Map.Entry<String, String>> form) {
        String body = form.stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        String basic = Base64.getEncoder().encodeToString((settings.accountSid() + ":" + settings.authToken())
                .getBytes(StandardCharsets.UTF_8));
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new OriginationException("Twilio unreachable: " + Failures.describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new OriginationException("not a request URL: " + Failures.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OriginationException("interrupted while calling Twilio", e);
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) : text;
    }
}
