package io.sipai.gateway.telephony.jambonz.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sipai.gateway.problems.Failures;
import io.sipai.gateway.telephony.CallOriginator;
import io.sipai.gateway.telephony.ProviderSid;
import io.sipai.gateway.telephony.TelephonySettings;
import io.sipai.gateway.telephony.jambonz.JambonzSettings;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Places calls with jambonz's REST create-call ({@code POST JAMBONZ_OUTCALL_URL}, Bearer {@code JAMBONZ_TOKEN},
 * 201 {@code {"sid"}}) using application {@code JAMBONZ_APP_SID}; the sipai call id travels in {@code tag}, so it
 * comes back as {@code customerData.sipaiCallId} on the call and status hooks. Hangs up with
 * {@code PUT .../Calls/{sid}} {@code {"call_status":"completed"}}. A call whose agent (or campaign, or own request)
 * asks for answering machine detection also gets jambonz's {@code amd}, whose verdicts come to
 * {@code /telephony/jambonz/amd} (needs {@code TELEPHONY_WEBHOOK_BASE_URL}; realtime-edge's own detection runs
 * either way).
 */
@Component
public class JambonzOriginator implements CallOriginator {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final JambonzSettings settings;
    private final TelephonySettings telephony;
    private final ObjectMapper mapper;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public JambonzOriginator(JambonzSettings settings, TelephonySettings telephony, ObjectMapper mapper) {
        this.settings = settings;
        this.telephony = telephony;
        this.mapper = mapper;
    }

    @Override
    public boolean configured() {
        return settings.canOriginate();
    }

    @Override
    public String originate(Origination call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("application_sid", settings.appSid());
        body.put("from", call.from());
        body.put("to", call.to().startsWith("sip") ? Map.of("type", "sip", "sipUri", call.to())
                : Map.of("type", "phone", "number", call.to()));
        Map<String, Object> tag = new LinkedHashMap<>(call.metadata());
        tag.put("sipaiCallId", call.callId());
        tag.put("sipaiTenantId", call.tenantId());
        tag.put("sipaiAgentId", call.agentId());
        body.put("tag", tag);
        if (call.voicemailAction() != null && telephony.webhookBaseUrl() != null) {
            // Runs beside the call (the listen socket connects at once); verdicts are posted to the hook.
            body.put("amd", Map.of("actionHook", telephony.webhookBaseUrl() + JambonzController.AMD_PATH + "?action="
                    + URLEncoder.encode(call.voicemailAction(), StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(settings.outcallUrl()))
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))));
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new OriginationException("HTTP " + response.statusCode() + " " + abbreviate(response.body()));
        }
        try {
            String sid = mapper.readTree(response.body()).path("sid").stringValue(null);
            if (sid == null || !ProviderSid.valid(sid)) {
                throw new OriginationException("create-call answer has no valid sid");
            }
            return sid;
        } catch (JacksonException e) {
            throw new OriginationException("create-call answer is not JSON", e);
        }
    }

    @Override
    public void hangup(String providerCallSid) {
        if (!ProviderSid.valid(providerCallSid)) {
            throw new OriginationException("the provider call sid is not a URL path segment");
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                        URI.create(settings.outcallUrl() + "/" + providerCallSid))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"call_status\":\"completed\"}")));
        int status = response.statusCode();
        if (status != 200 && status != 202 && status != 204) {
            throw new OriginationException("HTTP " + status + " " + abbreviate(response.body()));
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(TIMEOUT).header("Authorization", "Bearer " + settings.token())
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new OriginationException("jambonz unreachable: " + Failures.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OriginationException("interrupted while calling jambonz", e);
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) : text;
    }
}
