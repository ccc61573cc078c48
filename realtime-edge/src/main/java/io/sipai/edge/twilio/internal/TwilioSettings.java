package io.sipai.edge.twilio.internal;

import java.net.URI;
import java.net.URISyntaxException;

import io.sipai.runtime.InvalidSettingException;
import io.sipai.schemas.telephony.TwilioSignature;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Twilio account settings the edge uses.
 *
 * @param authToken  {@code TWILIO_AUTH_TOKEN}: checks the {@code X-Twilio-Signature} every Media Streams upgrade
 *                   must carry ({@link TwilioSignature}; required unless {@code EDGE_TWILIO_SIGNATURE=off} or
 *                   {@code EDGE_TWILIO_ENABLED=false}, {@link TwilioStreamSettings}); also the password of the REST
 *                   call update that transfers a call
 * @param accountSid {@code TWILIO_ACCOUNT_SID}: account of the REST call update; unset, the {@code accountSid} of
 *                   the stream's {@code start} message is used
 * @param apiBaseUrl {@code TWILIO_API_BASE_URL}: REST base (default {@code https://api.twilio.com})
 */
@ConfigurationProperties("twilio")
public record TwilioSettings(String authToken, String accountSid, String apiBaseUrl) {

    public TwilioSettings {
        authToken = authToken == null || authToken.isBlank() ? null : authToken.strip();
        accountSid = accountSid == null || accountSid.isBlank() ? null : accountSid.strip();
        if (accountSid != null && !accountSid.matches("[A-Za-z0-9]{1,64}")) {
            throw new InvalidSettingException("TWILIO_ACCOUNT_SID", "must be letters and digits (AC...)");
        }
        apiBaseUrl = apiBaseUrl == null || apiBaseUrl.isBlank() ? "https://api.twilio.com"
                : apiBaseUrl.strip().replaceAll("/+$", "");
        try {
            URI uri = new URI(apiBaseUrl);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidSettingException("TWILIO_API_BASE_URL", "must be an http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("TWILIO_API_BASE_URL", "is not a URL");
        }
    }

    @Override
    public String toString() {
        return "TwilioSettings[accountSid=" + accountSid + ", apiBaseUrl=" + apiBaseUrl + "]";
    }
}
