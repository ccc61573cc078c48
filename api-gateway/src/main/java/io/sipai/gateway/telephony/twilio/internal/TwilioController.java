package io.sipai.gateway.telephony.twilio.internal;

import java.io.IOException;
import java.util.Map;

import io.sipai.gateway.telephony.CallProgress;
import io.sipai.gateway.telephony.InboundCalls;
import io.sipai.gateway.telephony.RealtimeSettings;
import io.sipai.gateway.telephony.TelephonySettings;
import io.sipai.gateway.telephony.twilio.TwilioSettings;
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
 * {@code X-Twilio-Signature} first ({@link TwilioWebhook}): a bad or missing one is 403 and nothing is published.
 */
@RestController
public class TwilioController {

    /** Path realtime-edge takes Twilio Media Streams on. */
    public static final String STREAM_PATH = "/telephony/twilio/stream";
    static final String VOICE_PATH = "/telephony/twilio/voice";
    static final String STATUS_PATH = "/telephony/twilio/status";
    static final String AMD_PATH = "/telephony/twilio/amd";

    private final TwilioProvider provider;
    private final TwilioSettings settings;
    private final TelephonySettings telephony;
    private final RealtimeSettings realtime;
    private final InboundCalls inbound;

    public TwilioController(TwilioProvider provider, TwilioSettings settings, TelephonySettings telephony,
                            RealtimeSettings realtime, InboundCalls inbound) {
        this.provider = provider;
        this.settings = settings;
        this.telephony = telephony;
        this.realtime = realtime;
        this.inbound = inbound;
    }

    @PostMapping(path = VOICE_PATH, produces = MediaType.TEXT_XML_VALUE)
    public String voice(HttpServletRequest request) throws IOException {
        TwilioWebhook webhook = TwilioWebhook.verify(request, settings, telephony);
        String callSid = webhook.required("CallSid");
        InboundCalls.Outcome outcome = inbound.admit(provider, new InboundCalls.Inbound(callSid,
                webhook.query().get("callId"), webhook.query().get("tenant"), webhook.query().get("agent"),
                webhook.first("From"), webhook.first("To"), Map.of("providerCallSid", callSid)));
        if (outcome instanceof InboundCalls.Admitted call) {
            StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Connect>")
                    .append("<Stream url=\"").append(xml(realtime.wsUrl() + STREAM_PATH)).append("\">");
            call.mediaParameters().forEach((name, value) -> parameter(xml, name, value));
            return xml.append("</Stream></Connect></Response>").toString();
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Reject reason=\"busy\"/></Response>";
    }

    @PostMapping(STATUS_PATH)
    public ResponseEntity<Void> status(HttpServletRequest request) throws IOException {
        TwilioWebhook webhook = TwilioWebhook.verify(request, settings, telephony);
        String status = webhook.first("CallStatus");
        String duration = webhook.first("CallDuration");
        inbound.status(provider, webhook.query().get("callId"), webhook.required("CallSid"), status,
                CallProgress.ofCommonStatus(status),
                duration != null && duration.matches("\\d{1,9}") ? Long.valueOf(duration) : null);
        return ResponseEntity.noContent().build();
    }

    /**
     * Twilio's asynchronous answering machine verdict ({@code AnsweredBy}: human, machine_start, machine_end_beep,
     * machine_end_silence, machine_end_other, fax, unknown) for a call placed with detection: a machine's is
     * written as MachineDetected and, when the agent hangs up on machines, ends the call.
     */
    @PostMapping(AMD_PATH)
    public ResponseEntity<Void> machineDetection(HttpServletRequest request) throws IOException {
        TwilioWebhook webhook = TwilioWebhook.verify(request, settings, telephony);
        String answeredBy = webhook.first("AnsweredBy");
        if (answeredBy != null && (answeredBy.startsWith("machine_") || answeredBy.equals("fax"))) {
            String duration = webhook.first("MachineDetectionDuration");
            inbound.machineAnswered(provider, webhook.query().get("callId"), webhook.required("CallSid"),
                    answeredBy, duration != null && duration.matches("\\d{1,9}") ? Long.valueOf(duration) : null,
                    "leave_message".equals(webhook.query().get("action")) ? "leave_message" : "hangup");
        }
        return ResponseEntity.noContent().build();
    }

    private static void parameter(StringBuilder xml, String name, String value) {
        xml.append("<Parameter name=\"").append(xml(name)).append("\" value=\"").append(xml(value)).append("\"/>");
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
