package io.sipai.gateway.telephony.twilio;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.gateway.internal.web.StorableText;
import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.telephony.RealtimeSettings;
import io.sipai.gateway.telephony.TelephonySettings;
import io.sipai.gateway.telephony.internal.InboundCalls;
import io.sipai.gateway.telephony.twilio.internal.TwilioSignature;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Twilio webhooks. {@code POST /telephony/twilio/voice} (the number's voice URL; optional query {@code tenant},
 * {@code agent}, else {@code To} is looked up in the phone-number directory; {@code callId} on calls the API placed)
 * answers admitted calls with {@code <Connect><Stream>} to realtime-edge, the call's ids and short-lived token as
 * {@code <Parameter>}s (exactly what realtime-edge reads from {@code start.customParameters}), and refused ones with
 * {@code <Reject>}. {@code POST /telephony/twilio/status} turns CallStatus callbacks into call events. Both check
 * {@code X-Twilio-Signature} over the URL as Twilio called it and the form parameters of the body.
 */
@RestController
public class TwilioController {

    /** Path realtime-edge takes Twilio Media Streams on. */
    public static final String STREAM_PATH = "/telephony/twilio/stream";

    private final TwilioSettings settings;
    private final TelephonySettings telephony;
    private final RealtimeSettings realtime;
    private final InboundCalls inbound;

    public TwilioController(TwilioSettings settings, TelephonySettings telephony, RealtimeSettings realtime,
                            InboundCalls inbound) {
        this.settings = settings;
        this.telephony = telephony;
        this.realtime = realtime;
        this.inbound = inbound;
    }

    @PostMapping(path = "/telephony/twilio/voice", produces = MediaType.TEXT_XML_VALUE)
    public String voice(HttpServletRequest request) throws IOException {
        Map<String, List<String>> form = verified(request);
        String callSid = required(form, "CallSid");
        Map<String, String> query = queryParams(request);
        InboundCalls.Outcome outcome = inbound.admit(new InboundCalls.Inbound(callSid, query.get("callId"),
                query.get("tenant"), query.get("agent"), first(form, "From"), first(form, "To"), Transport.TWILIO,
                EventSource.TWILIO, Map.of("providerCallSid", callSid)));
        if (outcome instanceof InboundCalls.Admitted call) {
            StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Connect>")
                    .append("<Stream url=\"").append(xml(realtime.wsUrl() + STREAM_PATH)).append("\">");
            call.mediaParameters().forEach((name, value) -> parameter(xml, name, value));
            return xml.append("</Stream></Connect></Response>").toString();
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Reject reason=\"busy\"/></Response>";
    }

    @PostMapping("/telephony/twilio/status")
    public ResponseEntity<Void> status(HttpServletRequest request) throws IOException {
        Map<String, List<String>> form = verified(request);
        String callSid = required(form, "CallSid");
        String callId = inbound.callIdFor(EventSource.TWILIO, queryParams(request).get("callId"), callSid);
        String duration = first(form, "CallDuration");
        inbound.status(EventSource.TWILIO, callId, callSid, first(form, "CallStatus"),
                duration != null && duration.matches("\\d{1,9}") ? Long.valueOf(duration) : null);
        return ResponseEntity.noContent().build();
    }

    private Map<String, List<String>> verified(HttpServletRequest request) throws IOException {
        if (settings.authToken() == null) {
            throw new ApiException(ProblemType.PROVIDER_NOT_CONFIGURED, "TWILIO_AUTH_TOKEN is not set");
        }
        // Read the raw body: the servlet parameter map would mix query parameters into the signed POST params.
        Map<String, List<String>> form = parse(new String(request.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
        if (!TwilioSignature.verify(settings.authToken(), publicUrl(request), form,
                request.getHeader("X-Twilio-Signature"))) {
            throw new ApiException(ProblemType.INVALID_SIGNATURE, "X-Twilio-Signature is missing or wrong");
        }
        return form;
    }

    /** The URL as Twilio requested it: TELEPHONY_WEBHOOK_BASE_URL behind a proxy, else the request's own. */
    private String publicUrl(HttpServletRequest request) {
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        if (telephony.webhookBaseUrl() != null) {
            return telephony.webhookBaseUrl() + request.getRequestURI() + query;
        }
        return request.getRequestURL() + query;
    }

    private static Map<String, String> queryParams(HttpServletRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        parse(request.getQueryString() == null ? "" : request.getQueryString())
                .forEach((name, values) -> out.put(name, values.getFirst()));
        return out;
    }

    /**
     * Form (or query) parameters; 400 {@code malformed-body} when they are not URL encoding (URLDecoder throws on a
     * stray {@code %}), 422 naming the parameter when a value holds text nothing downstream can store.
     */
    static Map<String, List<String>> parse(String encoded) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            StorableText.check("parameter name", name);
            StorableText.check(name, value);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ProblemType.MALFORMED_BODY, "the form is not valid URL encoding");
        }
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static String required(Map<String, List<String>> form, String name) {
        String value = first(form, name);
        if (value == null || value.isBlank()) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, name + ": is required", Map.of("field", name));
        }
        return value;
    }

    private static void parameter(StringBuilder xml, String name, String value) {
        xml.append("<Parameter name=\"").append(xml(name)).append("\" value=\"").append(xml(value)).append("\"/>");
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
