package io.sipai.gateway.telephony;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The short-lived per-call token that lets a provider's media WebSocket into realtime-edge:
 * {@code "<expiryEpochSeconds>.<base64url(HMAC-SHA256(TELEPHONY_TOKEN_SECRET, callId + "." + expiry))>"}
 * (no padding). Documented in docs/api.md so realtime-edge checks the same thing.
 */
public final class TelephonyToken {

    private TelephonyToken() {
    }

    /** A token for {@code callId} valid until {@code expiry}. */
    public static String mint(String secret, String callId, Instant expiry) {
        long seconds = expiry.getEpochSecond();
        return seconds + "." + signature(secret, callId, seconds);
    }

    /** Whether {@code token} is valid for {@code callId} at {@code now}. */
    public static boolean verify(String secret, String callId, String token, Instant now) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot < 1) {
            return false;
        }
        long expiry;
        try {
            expiry = Long.parseLong(token.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        return now.getEpochSecond() <= expiry && MessageDigest.isEqual(
                signature(secret, callId, expiry).getBytes(StandardCharsets.US_ASCII),
                token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    }

    private static String signature(String secret, String callId, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((callId + "." + expiry).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
