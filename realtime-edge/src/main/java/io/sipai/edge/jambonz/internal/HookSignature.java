package io.sipai.edge.jambonz.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the transfer hook URL the edge hands to jambonz, so the hook needs no state and answers only for the call
 * and target the edge chose: {@code base64url_nopad(HMAC-SHA256(TELEPHONY_TOKEN_SECRET, "sipai-transfer-v1\n" +
 * callId + "\n" + target + "\n" + exp))}, {@code exp} in unix seconds.
 */
public final class HookSignature {

    /** How long a signed hook URL stays valid; jambonz requests it right after the call update. */
    public static final long LIFETIME_SECONDS = 300;

    private final byte[] secret;

    public HookSignature(String secret) {
        this.secret = secret == null || secret.isBlank() ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    public boolean configured() {
        return secret != null;
    }

    public String sign(String callId, String target, long exp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal(("sipai-transfer-v1\n" + callId + "\n" + target + "\n" + exp)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether {@code sig} signs the three values and {@code exp} has not passed (and is not too far ahead). */
    public boolean valid(String callId, String target, String exp, String sig, Instant now) {
        if (secret == null || callId == null || target == null || exp == null || sig == null
                || !exp.matches("\\d{1,12}")) {
            return false;
        }
        long expiry = Long.parseLong(exp);
        if (expiry < now.getEpochSecond() || expiry > now.getEpochSecond() + LIFETIME_SECONDS) {
            return false;
        }
        return MessageDigest.isEqual(sign(callId, target, expiry).getBytes(StandardCharsets.US_ASCII),
                sig.getBytes(StandardCharsets.US_ASCII));
    }
}
