package io.sipai.edge.tools;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs HTTP tool requests the way sipai signs webhooks (Standard Webhooks): headers {@code webhook-id},
 * {@code webhook-timestamp} (unix seconds) and {@code webhook-signature: v1,<base64 HMAC-SHA256(secret,
 * id.timestamp.body)>}, where the secret is the base64 part of {@code whsec_<base64>}. Without a secret requests go
 * unsigned.
 */
public final class WebhookSigner {

    private final byte[] key;

    /** @param secret {@code whsec_<base64>}, or null/blank for no signature */
    public WebhookSigner(String secret) {
        this.key = secret == null || secret.isBlank() ? null
                : Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    /** The signature headers of one request; empty without a secret. */
    public Map<String, String> headers(String id, String body) {
        if (key == null) {
            return Map.of();
        }
        long timestamp = System.currentTimeMillis() / 1000;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", "v1," + signature(id, timestamp, body));
        return headers;
    }

    /** The base64 signature of one message. */
    public String signature(String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
