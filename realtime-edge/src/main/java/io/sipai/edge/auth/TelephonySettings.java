package io.sipai.edge.auth;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Secret of the telephony media endpoints' per-call tokens.
 *
 * @param tokenSecret {@code TELEPHONY_TOKEN_SECRET}: HMAC secret shared with api-gateway ({@link TelephonyTokens});
 *                    without it every telephony connection is refused
 */
@ConfigurationProperties("telephony")
public record TelephonySettings(String tokenSecret) {

    public TelephonySettings {
        if (tokenSecret != null && !tokenSecret.isBlank() && tokenSecret.length() < 16) {
            throw new InvalidSettingException("TELEPHONY_TOKEN_SECRET", "must have at least 16 characters");
        }
    }
}
