package io.sipai.edge.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Twilio account settings the edge uses.
 *
 * @param authToken {@code TWILIO_AUTH_TOKEN}: when set, the Media Streams upgrade must carry a valid
 *                  {@code X-Twilio-Signature} ({@link TwilioSignature})
 */
@ConfigurationProperties("twilio")
public record TwilioSettings(String authToken) {
}
