package io.sipai.edge.twilio.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

import io.sipai.edge.telephony.TransferRequests;
import io.sipai.schemas.telephony.TransferTarget;

/**
 * Transfers a Twilio call by updating it with new TwiML: {@code POST <TWILIO_API_BASE_URL>/2010-04-01/Accounts/
 * {AccountSid}/Calls/{CallSid}.json}, {@code Twiml=<Response><Dial>...</Dial></Response>}, Basic auth
 * AccountSid:TWILIO_AUTH_TOKEN. Twilio then ends the media stream ({@code stop}).
 */
public final class TwilioCallUpdate {

    private static final String SID = "[A-Za-z0-9]{1,64}";

    private final TwilioSettings settings;
    private final TransferRequests requests;

    public TwilioCallUpdate(TwilioSettings settings, TransferRequests requests) {
        this.settings = settings;
        this.requests = requests;
    }

    /** Redirects the call to dial {@code target}; {@code startAccountSid} unless TWILIO_ACCOUNT_SID is set. */
    CompletableFuture<Void> dial(String startAccountSid, String callSid, TransferTarget target) {
        String account = settings.accountSid() != null ? settings.accountSid() : startAccountSid;
        if (settings.authToken() == null) {
            return TransferRequests.failed("TWILIO_AUTH_TOKEN is not set");
        }
        if (account == null || !account.matches(SID) || callSid == null || !callSid.matches(SID)) {
            return TransferRequests.failed("the stream's start carried no usable accountSid/callSid");
        }
        String form = "Twiml=" + URLEncoder.encode(twiml(target), StandardCharsets.UTF_8);
        String credentials = Base64.getEncoder().encodeToString((account + ":" + settings.authToken())
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = requests.request(URI.create(settings.apiBaseUrl() + "/2010-04-01/Accounts/"
                        + account + "/Calls/" + callSid + ".json"))
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();
        return requests.send("Twilio", request);
    }

    /** The TwiML that dials the target: a number, or {@code <Sip>} for a SIP URI; XML-escaped. */
    static String twiml(TransferTarget target) {
        String dial = target.kind() == TransferTarget.Kind.PHONE ? xml(target.address())
                : "<Sip>" + xml(target.uri()) + "</Sip>";
        return "<Response><Dial>" + dial + "</Dial></Response>";
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
