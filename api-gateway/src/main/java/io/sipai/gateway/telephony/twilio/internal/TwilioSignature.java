package io.sipai.gateway.telephony.twilio.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies {@code X-Twilio-Signature}: base64 HMAC-SHA1 (auth token as key) over the full URL followed by every
 * POST parameter as name + value, sorted by name (a repeated name: its distinct values sorted). Like Twilio's
 * helper it accepts the URL with the port removed or with the default port added.
 */
public final class TwilioSignature {

    private TwilioSignature() {
    }

    public static boolean verify(String authToken, String url, Map<String, List<String>> params, String signature) {
        if (authToken == null || signature == null || signature.isBlank()) {
            return false;
        }
        byte[] presented = signature.strip().getBytes(StandardCharsets.US_ASCII);
        for (String candidate : urlVariants(url)) {
            byte[] expected = sign(authToken, candidate, params).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(presented, expected)) {
                return true;
            }
        }
        return false;
    }

    /** The signature Twilio sends for this URL and these POST parameters. */
    public static String sign(String authToken, String url, Map<String, List<String>> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((name, values) -> {
            for (String value : new TreeSet<>(values)) {
                data.append(name).append(value);
            }
        });
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    private static List<String> urlVariants(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return List.of(url);
            }
            int port = uri.getPort() == -1 ? ("https".equals(uri.getScheme()) ? 443 : 80) : uri.getPort();
            String rest = (uri.getRawPath() == null ? "" : uri.getRawPath()) + query(uri);
            String base = uri.getScheme() + "://" + (uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@")
                    + uri.getHost();
            return List.of(url, base + rest, base + ":" + port + rest);
        } catch (URISyntaxException e) {
            return List.of(url);
        }
    }

    private static String query(URI uri) {
        return uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    }
}
