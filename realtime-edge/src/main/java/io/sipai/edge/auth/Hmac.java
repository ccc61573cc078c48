package io.sipai.edge.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC helpers shared by the edge's signature schemes; all comparisons are constant time. */
public final class Hmac {

    private Hmac() {
    }

    /** HMAC of {@code message} (UTF-8) under {@code secret} (UTF-8) with the given JCA algorithm. */
    public static byte[] mac(String algorithm, String secret, String message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    /** Base64url without padding of HMAC-SHA256. */
    public static String sha256Url(String secret, String message) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac("HmacSHA256", secret, message));
    }

    /** Constant-time equality of two strings' UTF-8 bytes. */
    public static boolean equal(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
