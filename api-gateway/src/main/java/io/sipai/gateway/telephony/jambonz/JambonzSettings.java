package io.sipai.gateway.telephony.jambonz;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.sipai.gateway.telephony.SettingUrl;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * jambonz settings; all optional, a missing one switches the matching feature off (503 problem).
 *
 * @param webhookSecret {@code JAMBONZ_WEBHOOK_SECRET}: the account's webhook secret; several, comma-separated,
 *                      during a rotation
 * @param outcallUrl    {@code JAMBONZ_OUTCALL_URL}: the create-call URL,
 *                      {@code https://host/v1/Accounts/{AccountSid}/Calls}
 * @param token         {@code JAMBONZ_TOKEN}: API key sent as Bearer
 * @param appSid        {@code JAMBONZ_APP_SID}: application whose call_hook points at /telephony/jambonz/call
 */
@ConfigurationProperties("jambonz")
public record JambonzSettings(String webhookSecret, String outcallUrl, String token, String appSid) {

    public JambonzSettings {
        webhookSecret = blankToNull(webhookSecret);
        outcallUrl = blankToNull(outcallUrl);
        token = blankToNull(token);
        appSid = blankToNull(appSid);
        if (outcallUrl != null) {
            outcallUrl = SettingUrl.check("JAMBONZ_OUTCALL_URL", outcallUrl, Set.of("http", "https"));
        }
    }

    /** The secrets to check signatures with. */
    public List<String> secrets() {
        return webhookSecret == null ? List.of()
                : Arrays.stream(webhookSecret.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public boolean canOriginate() {
        return outcallUrl != null && token != null && appSid != null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String toString() {
        return "JambonzSettings[outcallUrl=" + outcallUrl + ", appSid=" + appSid + "]";
    }
}
