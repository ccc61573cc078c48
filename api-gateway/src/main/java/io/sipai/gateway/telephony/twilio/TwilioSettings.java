package io.sipai.gateway.telephony.twilio;

import java.util.Set;

import io.sipai.gateway.telephony.SettingUrl;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Twilio settings; without them the Twilio webhooks answer 503 and calls cannot be placed through Twilio.
 *
 * @param accountSid {@code TWILIO_ACCOUNT_SID}
 * @param authToken  {@code TWILIO_AUTH_TOKEN}: the primary auth token (signs webhooks, authenticates REST calls)
 * @param apiBaseUrl {@code TWILIO_API_BASE_URL}: REST base (default https://api.twilio.com)
 */
@ConfigurationProperties("twilio")
public record TwilioSettings(String accountSid, String authToken, String apiBaseUrl) {

    public TwilioSettings {
        accountSid = accountSid == null || accountSid.isBlank() ? null : accountSid.strip();
        authToken = authToken == null || authToken.isBlank() ? null : authToken.strip();
        apiBaseUrl = SettingUrl.check("TWILIO_API_BASE_URL", apiBaseUrl == null || apiBaseUrl.isBlank()
                ? "https://api.twilio.com" : apiBaseUrl, Set.of("http", "https"));
    }

    public boolean canOriginate() {
        return accountSid != null && authToken != null;
    }

    @Override
    public String toString() {
        return "TwilioSettings[accountSid=" + accountSid + ", apiBaseUrl=" + apiBaseUrl + "]";
    }
}
