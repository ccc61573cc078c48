package io.sipai.edge.telephony;

import io.sipai.runtime.InvalidSettingException;
import io.sipai.schemas.telephony.TelephonyToken;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Secret of the telephony media endpoints' per-call tokens ({@link TelephonyTokens}); it also signs the callback
 * URLs the edge hands a provider (jambonz's transfer hook).
 *
 * @param tokenSecret {@code TELEPHONY_TOKEN_SECRET}: HMAC secret shared with api-gateway ({@link TelephonyToken}; the
 *                    same value on both, at least 32 characters); required in a deployment: without it every
 *                    telephony connection is refused
 */
@ConfigurationProperties("telephony")
public record TelephonySettings(String tokenSecret) {

    public TelephonySettings {
        if (tokenSecret != null && !tokenSecret.isBlank() && tokenSecret.length() < TelephonyToken.MIN_SECRET_LENGTH) {
            throw new InvalidSettingException("TELEPHONY_TOKEN_SECRET", "must be at least "
                    + TelephonyToken.MIN_SECRET_LENGTH + " characters");
        }
    }
}
