package io.sipai.schemas.telephony;

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
 * Twilio's {@code X-Twilio-Signature}: base64 HMAC-SHA1 under the account's auth token over the full URL Twilio
 * requested, followed by every POST parameter as name + value, sorted by name (a repeated name: its distinct values
 * sorted). A Media Streams WebSocket upgrade has no POST parameters. Like Twilio's helper libraries, the URL is also
 * tried without its port and with the scheme's default port, because Twilio's signing side is inconsistent about
 * ports. Shared by api-gateway (voice and status webhooks) and realtime-edge (the media stream upgrade), so both
 * check Twilio the same way; compared in constant time.
 */
public final class TwilioSignature {

    private final String authToken;

    /** @param authToken the account's auth token; blank means not configured (nothing verifies) */
    public TwilioSignature(String authToken) {
        this.authToken = authToken == null || authToken.isBlank() ? null : authToken;
    }

    /** Whether an auth token is set. */
    public boolean configured() {
        return authToken != null;
    }

    /** The signature Twilio sends for a request to {@code url} without POST parameters. */
    public String sign(String url) {
        return sign(url, Map.of());
    }

    /** The signature Twilio sends for {@code url} and these (decoded) POST parameters. */
    public String sign(String url, Map<String, List<String>> params) {
        if (authToken == null) {
            throw new IllegalStateException("no Twilio auth token configured");
        }
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

    /** Whether {@code signature} is valid for a request to {@code url} without POST parameters. */
    public boolean valid(String url, String signature) {
        return valid(url, Map.of(), signature);
    }

    /** Whether {@code signature} is valid for {@code url} and these (decoded) POST parameters. */
    public boolean valid(String url, Map<String, List<String>> params, String signature) {
        if (authToken == null || url == null || signature == null || signature.isBlank()) {
            return false;
        }
        byte[] presented = signature.strip().getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String candidate : urlVariants(url)) {
            ok |= MessageDigest.isEqual(presented, sign(candidate, params).getBytes(StandardCharsets.US_ASCII));
        }
        return ok;
    }

    /** The URL as given, without its port, and with the scheme's default port. */
    private static List<String> urlVariants(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return List.of(url);
            }
            String scheme = uri.getScheme();
            int port = uri.getPort() >= 0 ? uri.getPort()
                    : "https".equals(scheme) || "wss".equals(scheme) ? 443 : 80;
            String rest = (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String base = scheme + "://" + (uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@")
                    + uri.getHost();
            return List.of(url, base + rest, base + ":" + port + rest);
        } catch (URISyntaxException e) {
            return List.of(url);
        }
    }
}
