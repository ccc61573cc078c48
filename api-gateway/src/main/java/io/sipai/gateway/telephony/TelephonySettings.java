package io.sipai.gateway.telephony;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import io.sipai.runtime.InvalidSettingException;
import io.sipai.schemas.telephony.TelephonyToken;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Telephony ingress settings.
 *
 * @param webhookBaseUrl {@code TELEPHONY_WEBHOOK_BASE_URL}: public base URL of /telephony/* as the providers call
 *                       it (Twilio signs the full URL); when unset, the URL is rebuilt from the request
 * @param tokenSecret    {@code TELEPHONY_TOKEN_SECRET}: HMAC key of the per-call media tokens realtime-edge checks
 *                       ({@link TelephonyToken}; 32+ characters, the same value on both services); required in a
 *                       deployment: when unset a random one is used and realtime-edge cannot verify them
 * @param tokenTtlSec    {@code TELEPHONY_TOKEN_TTL_SEC}: how long a media token is valid (default 300, at most
 *                       3600: realtime-edge refuses tokens that live longer)
 * @param defaultTenant  {@code TELEPHONY_DEFAULT_TENANT}: tenant of inbound calls whose webhook URL names none
 * @param defaultAgent   {@code TELEPHONY_DEFAULT_AGENT}: agent of inbound calls whose webhook URL names none
 */
@ConfigurationProperties("telephony")
public record TelephonySettings(String webhookBaseUrl, String tokenSecret, Integer tokenTtlSec, String defaultTenant,
                                String defaultAgent) {

    public TelephonySettings {
        webhookBaseUrl = webhookBaseUrl == null || webhookBaseUrl.isBlank() ? null
                : SettingUrl.check("TELEPHONY_WEBHOOK_BASE_URL", webhookBaseUrl, Set.of("http", "https"));
        if (tokenSecret == null || tokenSecret.isBlank()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            tokenSecret = Base64.getEncoder().encodeToString(random);
        } else if (tokenSecret.length() < TelephonyToken.MIN_SECRET_LENGTH) {
            throw new InvalidSettingException("TELEPHONY_TOKEN_SECRET", "must be at least "
                    + TelephonyToken.MIN_SECRET_LENGTH + " characters");
        }
        tokenTtlSec = tokenTtlSec == null ? (int) TelephonyToken.DEFAULT_TTL.toSeconds() : tokenTtlSec;
        if (tokenTtlSec < 10 || tokenTtlSec > TelephonyToken.MAX_LIFETIME.toSeconds()) {
            throw new InvalidSettingException("TELEPHONY_TOKEN_TTL_SEC", "must be between 10 and "
                    + TelephonyToken.MAX_LIFETIME.toSeconds());
        }
        defaultTenant = defaultTenant == null || defaultTenant.isBlank() ? "default" : defaultTenant.strip();
        defaultAgent = defaultAgent == null || defaultAgent.isBlank() ? null : defaultAgent.strip();
    }

    @Override
    public String toString() {
        return "TelephonySettings[webhookBaseUrl=" + webhookBaseUrl + ", tokenTtlSec=" + tokenTtlSec + "]";
    }
}
