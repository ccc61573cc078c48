package io.sipai.gateway.telephony.jambonz.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.sipai.gateway.telephony.CallProgress;
import io.sipai.gateway.telephony.InboundCalls;
import io.sipai.gateway.telephony.RealtimeSettings;
import io.sipai.gateway.telephony.jambonz.JambonzSettings;
import io.sipai.gateway.web.json.RequestJson;
import io.sipai.schemas.telephony.TelephonyToken;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * jambonz webhooks. {@code POST /telephony/jambonz/call} (the application's call_hook; optional query
 * {@code tenant}, {@code agent}, else {@code to} is looked up in the phone-number directory) answers admitted calls
 * with {@code answer} + a bidirectional {@code listen} to realtime-edge carrying a short-lived token, and refused
 * ones with a polite {@code say} + {@code hangup}.
 * {@code POST /telephony/jambonz/status} turns call_status changes into call events. Both check
 * {@code Jambonz-Signature} over the raw body first ({@link JambonzWebhook}): a bad or missing one is 403 and
 * nothing is published.
 */
@RestController
public class JambonzController {

    /** Path realtime-edge takes jambonz listen sockets on. */
    public static final String LISTEN_PATH = "/telephony/jambonz/listen";
    /** Where jambonz posts its answering machine detection verdicts ({@code amd.actionHook}). */
    static final String AMD_PATH = "/telephony/jambonz/amd";
    /** Caller and agent audio rate; realtime-edge's default {@code outRate} is the same. */
    private static final int SAMPLE_RATE = 8000;
    static final String DECLINE_TEXT = "Sorry, we cannot take your call right now. Please try again later.";

    private final JambonzProvider provider;
    private final JambonzSettings settings;
    private final RealtimeSettings realtime;
    private final InboundCalls inbound;
    private final ObjectMapper mapper;
    private final Clock clock;

    public JambonzController(JambonzProvider provider, JambonzSettings settings, RealtimeSettings realtime,
                             InboundCalls inbound, RequestJson requestJson, Clock clock) {
        this.provider = provider;
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
        JambonzWebhook webhook = JambonzWebhook.verify(request, settings, mapper, clock);
        String callSid = webhook.required("call_sid");
        InboundCalls.Outcome outcome = inbound.admit(provider, new InboundCalls.Inbound(callSid,
                webhook.sipaiCallId(), tenant, agent, webhook.text("from"), webhook.text("to"),
                Map.of("providerCallSid", callSid)));
        if (outcome instanceof InboundCalls.Admitted admitted) {
            return listenVerbs(admitted);
        }
        return List.of(Map.of("verb", "say", "text", DECLINE_TEXT), Map.of("verb", "hangup"));
    }

    @PostMapping("/telephony/jambonz/status")
    public ResponseEntity<Void> status(HttpServletRequest request) throws IOException {
        JambonzWebhook webhook = JambonzWebhook.verify(request, settings, mapper, clock);
        String callSid = webhook.required("call_sid");
        String status = webhook.text("call_status");
        JsonNode duration = webhook.body().path("duration");
        inbound.status(provider, webhook.sipaiCallId(), callSid, status, CallProgress.ofCommonStatus(status),
                duration.isNumber() ? duration.longValue() : null);
        return ResponseEntity.noContent().build();
    }

    /**
     * jambonz's answering machine detection events ({@code type}: amd_human_detected, amd_machine_detected,
     * amd_no_speech_detected, amd_decision_timeout, amd_machine_stopped_speaking, amd_tone_detected, amd_error,
     * amd_stopped) for a call placed with {@code amd}: a machine's is written as MachineDetected and, when the call
     * hangs up on machines, ends it. The others need nothing: realtime-edge hears the beep itself.
     */
    @PostMapping(AMD_PATH)
    public ResponseEntity<Void> machineDetection(HttpServletRequest request,
                                                 @RequestParam(required = false) String action) throws IOException {
        JambonzWebhook webhook = JambonzWebhook.verify(request, settings, mapper, clock);
        if ("amd_machine_detected".equals(webhook.text("type"))) {
            String reason = webhook.text("reason");
            inbound.machineAnswered(provider, webhook.sipaiCallId(), webhook.required("call_sid"),
                    reason == null ? "machine" : "machine: " + reason, null,
                    "leave_message".equals(action) ? "leave_message" : "hangup");
        }
        return ResponseEntity.noContent().build();
    }

    /**
     * {@code answer} + a bidirectional {@code listen} to realtime-edge. The URL carries the call's ids and token as
     * the edge checks them before the upgrade; the metadata repeats the ids (not the token) for jambonz's own logs.
     */
    private List<Map<String, Object>> listenVerbs(InboundCalls.Admitted call) {
        Map<String, String> params = call.mediaParameters();
        String url = realtime.wsUrl() + LISTEN_PATH + "?" + params.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
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

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
