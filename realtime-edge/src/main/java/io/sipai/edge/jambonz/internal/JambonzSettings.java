package io.sipai.edge.jambonz.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The jambonz account the edge transfers calls through; the same variables as api-gateway's. All optional: without
 * {@code outcallUrl} and {@code token} a transfer on a jambonz call fails and the agent is told so.
 *
 * @param outcallUrl    {@code JAMBONZ_OUTCALL_URL}: the Calls collection, {@code https://host/v1/Accounts/{sid}/Calls};
 *                      a call is updated with {@code PUT <outcallUrl>/<callSid>}
 * @param token         {@code JAMBONZ_TOKEN}: API key sent as Bearer
 * @param webhookSecret {@code JAMBONZ_WEBHOOK_SECRET}: when set, the transfer hook jambonz requests must carry a
 *                      valid {@code Jambonz-Signature} (comma-separated secrets during a rotation)
 */
@ConfigurationProperties("jambonz")
public record JambonzSettings(String outcallUrl, String token, String webhookSecret) {

    public JambonzSettings {
        outcallUrl = blankToNull(outcallUrl);
        token = blankToNull(token);
        webhookSecret = blankToNull(webhookSecret);
        if (outcallUrl != null) {
            try {
                URI uri = new URI(outcallUrl);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new InvalidSettingException("JAMBONZ_OUTCALL_URL", "must be an http(s) URL");
                }
            } catch (URISyntaxException e) {
                throw new InvalidSettingException("JAMBONZ_OUTCALL_URL", "is not a URL");
            }
            outcallUrl = outcallUrl.replaceAll("/+$", "");
        }
    }

    /** The secrets to check {@code Jambonz-Signature} with; empty when no secret is set. */
    public List<String> secrets() {
        return webhookSecret == null ? List.of()
                : Arrays.stream(webhookSecret.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String toString() {
        return "JambonzSettings[outcallUrl=" + outcallUrl + "]";
    }
}
