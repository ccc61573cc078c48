package io.sipai.dispatcher.signing;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.sipai.config.SigningSecret;

/**
 * Signs webhook requests the Standard Webhooks way: {@code v1,<base64 HMAC-SHA256>} over
 * {@code webhook-id.webhook-timestamp.body} with the key behind a {@code whsec_} secret. Every secret still valid at
 * the time of the attempt signs, so during a rotation receivers holding either secret accept the request.
 */
public final class WebhookSigner {

    /** Prefix of serialized symmetric secrets. */
    public static final String SECRET_PREFIX = "whsec_";

    private static final String HMAC = "HmacSHA256";

    private WebhookSigner() {
    }

    /**
     * The {@code webhook-signature} header value.
     *
     * @param webhookId the {@code webhook-id} header
     * @param timestamp the {@code webhook-timestamp} header, Unix seconds
     * @param body      the exact body bytes sent, as UTF-8 text
     * @param secrets   the subscription's secrets; expired ones ({@code notAfter <= now}) are skipped
     * @param now       the attempt time
     * @throws IllegalArgumentException when no secret is valid or one cannot be decoded
     */
    public static String signatureHeader(String webhookId, long timestamp, String body, List<SigningSecret> secrets,
                                         Instant now) {
        List<String> signatures = new ArrayList<>();
        for (SigningSecret secret : secrets) {
            if (secret.getNotAfter() == null || secret.getNotAfter().isAfter(now)) {
                signatures.add(sign(secret.getSecret(), webhookId, timestamp, body));
            }
        }
        if (signatures.isEmpty()) {
            throw new IllegalArgumentException("subscription has no valid signing secret");
        }
        return String.join(" ", signatures);
    }

    /** One {@code v1,<base64>} signature. */
    public static String sign(String secret, String webhookId, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(decodeSecret(secret), HMAC));
            byte[] digest = mac.doFinal((webhookId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /** The raw key: the base64 after the optional {@code whsec_} prefix; unpadded base64 is accepted. */
    static byte[] decodeSecret(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        if (encoded.isEmpty()) {
            throw new IllegalArgumentException("webhook secret may not be empty");
        }
        byte[] key = Base64.getDecoder().decode(encoded);
        if (key.length == 0) {
            throw new IllegalArgumentException("webhook secret may not be empty");
        }
        return key;
    }
}
