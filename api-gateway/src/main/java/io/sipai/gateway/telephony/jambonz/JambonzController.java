package io.sipai.gateway.telephony.jambonz;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.gateway.internal.web.RequestJson;
import io.sipai.gateway.internal.web.json.JsonPaths;
import io.sipai.gateway.internal.web.json.UnstorableTextException;
import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.telephony.RealtimeSettings;
import io.sipai.gateway.telephony.internal.InboundCalls;
import io.sipai.schemas.telephony.JambonzSignature;
import io.sipai.schemas.telephony.TelephonyToken;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * jambonz webhooks. {@code POST /telephony/jambonz/call} (the application's call_hook; optional query
 * {@code tenant}, {@code agent}, else {@code to} is looked up in the phone-number directory) answers admitted calls
 * with {@code answer} + a bidirectional {@code listen} to realtime-edge carrying a short-lived token, and refused
 * ones with a polite {@code say} + {@code hangup}.
 * {@code POST /telephony/jambonz/status} turns call_status changes into call events. Both check
 * {@code Jambonz-Signature} over the raw body first: a bad or missing one is 403 and nothing is published.
 */
@RestController
public class JambonzController {

    /** Path realtime-edge takes jambonz listen sockets on. */
    public static final String LISTEN_PATH = "/telephony/jambonz/listen";
    /** Caller and agent audio rate; realtime-edge's default {@code outRate} is the same. */
    private static final int SAMPLE_RATE = 8000;
    static final String DECLINE_TEXT = "Sorry, we cannot take your call right now. Please try again later.";

    private final JambonzSettings settings;
    private final RealtimeSettings realtime;
    private final InboundCalls inbound;
    private final ObjectMapper mapper;
    private final Clock clock;

    public JambonzController(JambonzSettings settings, RealtimeSettings realtime, InboundCalls inbound,
                             RequestJson requestJson, Clock clock) {
        this.settings = settings;
        this.realtime = realtime;
        this.inbound = inbound;
        this.mapper = requestJson.mapper();
        this.clock = clock;
    }

    @PostMapping(path = "/telephony/jambonz/call", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Map<String, Object>> call(HttpServletRequest request,
                                          @RequestParam(required = false) String tenant,
                                          @RequestParam(required = false) String agent) throws IOException {
        JsonNode body = verified(request);
        String callSid = required(body, "call_sid");
        JsonNode customer = body.path("customerData");
        InboundCalls.Outcome outcome = inbound.admit(new InboundCalls.Inbound(callSid,
                customer.path("sipaiCallId").stringValue(null), tenant, agent, body.path("from").stringValue(null),
                body.path("to").stringValue(null), Transport.JAMBONZ, EventSource.JAMBONZ, Map.of(
                        "providerCallSid", callSid)));
        if (outcome instanceof InboundCalls.Admitted admitted) {
            return listenVerbs(admitted);
        }
        return List.of(Map.of("verb", "say", "text", DECLINE_TEXT), Map.of("verb", "hangup"));
    }

    @PostMapping("/telephony/jambonz/status")
    public ResponseEntity<Void> status(HttpServletRequest request) throws IOException {
        JsonNode body = verified(request);
        String callSid = required(body, "call_sid");
        String callId = inbound.callIdFor(EventSource.JAMBONZ,
                body.path("customerData").path("sipaiCallId").stringValue(null), callSid);
        JsonNode duration = body.path("duration");
        inbound.status(EventSource.JAMBONZ, callId, callSid, body.path("call_status").stringValue(null),
                duration.isNumber() ? duration.longValue() : null);
        return ResponseEntity.noContent().build();
    }

    /**
     * {@code answer} + a bidirectional {@code listen} to realtime-edge. The URL carries the call's ids and token as
     * the edge checks them before the upgrade; the metadata repeats the ids (not the token) for jambonz's own logs.
     */
    private List<Map<String, Object>> listenVerbs(InboundCalls.Admitted call) {
        Map<String, String> params = call.mediaParameters();
        String url = realtime.wsUrl() + LISTEN_PATH + "?" + params.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(java.util.stream.Collectors.joining("&"));
        Map<String, Object> metadata = new LinkedHashMap<>(params);
        metadata.remove(TelephonyToken.PARAM_TOKEN);
        Map<String, Object> listen = new LinkedHashMap<>();
        listen.put("verb", "listen");
        listen.put("url", url);
        listen.put("sampleRate", SAMPLE_RATE);
        listen.put("mixType", "mono");
        listen.put("bidirectionalAudio", Map.of("enabled", true, "streaming", true, "sampleRate", SAMPLE_RATE));
        listen.put("metadata", metadata);
        return List.of(Map.of("verb", "answer"), listen);
    }

    private JsonNode verified(HttpServletRequest request) throws IOException {
        if (settings.secrets().isEmpty()) {
            throw new ApiException(ProblemType.PROVIDER_NOT_CONFIGURED, "JAMBONZ_WEBHOOK_SECRET is not set");
        }
        byte[] raw = request.getInputStream().readAllBytes();
        if (!JambonzSignature.verify(settings.secrets(), request.getHeader("Jambonz-Signature"), raw,
                clock.instant())) {
            throw new ApiException(ProblemType.INVALID_SIGNATURE, "Jambonz-Signature is missing, stale or wrong");
        }
        try {
            JsonNode body = mapper.readTree(raw);
            if (!body.isObject()) {
                throw new ApiException(ProblemType.MALFORMED_BODY, "expected a JSON object");
            }
            return body;
        } catch (UnstorableTextException e) {
            String field = JsonPaths.of(e).isEmpty() ? "body" : JsonPaths.of(e);
            throw new ApiException(ProblemType.VALIDATION_FAILED, field + ": " + e.getOriginalMessage(),
                    Map.of("field", field));
        } catch (JacksonException e) {
            throw new ApiException(ProblemType.MALFORMED_BODY, "the request body is not valid JSON");
        }
    }

    private static String required(JsonNode body, String field) {
        String value = body.path(field).stringValue(null);
        if (value == null || value.isBlank()) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, field + ": is required", Map.of("field", field));
        }
        return value;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
