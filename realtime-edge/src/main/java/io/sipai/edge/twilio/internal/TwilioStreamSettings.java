package io.sipai.edge.twilio.internal;

import java.util.Locale;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Whether the edge serves Twilio Media Streams and how it authenticates them. The signature check fails closed: a
 * deployment either has {@code TWILIO_AUTH_TOKEN}, switches Twilio off, or says {@code EDGE_TWILIO_SIGNATURE=off}
 * in so many words (local development only), because an unchecked media upgrade lets anyone who learns a per-call
 * token open the stream.
 *
 * @param enabled   {@code EDGE_TWILIO_ENABLED}: serve {@code /telephony/twilio/stream} (default true); a deployment
 *                  without Twilio sets false and needs no Twilio setting
 * @param signature {@code EDGE_TWILIO_SIGNATURE}: {@code on} (default) refuses an upgrade without a valid
 *                  {@code X-Twilio-Signature} and stops startup when {@code TWILIO_AUTH_TOKEN} is unset; {@code off}
 *                  skips the check (local development only)
 */
@ConfigurationProperties("edge.twilio")
public record TwilioStreamSettings(Boolean enabled, String signature) {

    public TwilioStreamSettings {
        enabled = enabled == null || enabled;
        signature = signature == null || signature.isBlank() ? "on" : signature.strip().toLowerCase(Locale.ROOT);
        if (!signature.equals("on") && !signature.equals("off")) {
            throw new InvalidSettingException("EDGE_TWILIO_SIGNATURE", "must be on or off (off: local development "
                    + "only), was '" + signature + "'");
        }
    }

    /** Whether every media upgrade must carry a valid signature. */
    public boolean signatureRequired() {
        return signature.equals("on");
    }

    /**
     * Stops startup when the signature is required and there is no token to check it with.
     *
     * @throws InvalidSettingException naming TWILIO_AUTH_TOKEN and the ways out
     */
    public void requireTokenFor(TwilioSettings twilio) {
        if (enabled && signatureRequired() && twilio.authToken() == null) {
            throw new InvalidSettingException("TWILIO_AUTH_TOKEN", "is not set, and Twilio media upgrades must carry "
                    + "a valid X-Twilio-Signature; set it, or EDGE_TWILIO_ENABLED=false without Twilio, or "
                    + "EDGE_TWILIO_SIGNATURE=off for local development only");
        }
    }
}
