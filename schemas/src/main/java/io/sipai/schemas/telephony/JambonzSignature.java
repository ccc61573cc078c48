package io.sipai.schemas.telephony;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies {@code Jambonz-Signature: t=<unix seconds>,v1=<hex>}: HMAC-SHA256 with the webhook secret (UTF-8, as
 * is) over {@code t + "." + rawBody}, lowercase hex, 300 s tolerance for old timestamps, any v1 against any secret,
 * compared in constant time (as jambonz's own verifier does). Shared by api-gateway (call webhooks) and
 * realtime-edge (the transfer hook it serves), so both check jambonz requests the same way.
 */
public final class JambonzSignature {

    /** Seconds a signed request stays acceptable. */
    public static final long TOLERANCE_SECONDS = 300;

    private JambonzSignature() {
    }

    public static boolean verify(List<String> secrets, String header, byte[] rawBody, Instant now) {
        if (header == null || secrets.isEmpty()) {
            return false;
        }
        Long timestamp = null;
        List<String> candidates = new ArrayList<>();
        for (String item : header.split(",")) {
            String[] pair = item.strip().split("=", 2);
            if (pair.length != 2) {
                continue;
            }
            if ("t".equals(pair[0])) {
                try {
                    timestamp = Long.parseLong(pair[1]);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if ("v1".equals(pair[0])) {
                candidates.add(pair[1]);
            }
        }
        if (timestamp == null || candidates.isEmpty() || now.getEpochSecond() - timestamp > TOLERANCE_SECONDS) {
            return false;
        }
        for (String secret : secrets) {
            byte[] expected = sign(secret, timestamp, rawBody).getBytes(StandardCharsets.US_ASCII);
            for (String candidate : candidates) {
                if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The hex signature jambonz sends for {@code rawBody} at {@code timestamp}. */
    public static String sign(String secret, long timestamp, byte[] rawBody) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(rawBody));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
