package io.sipai.edge.auth;

import java.net.URI;
import java.util.Base64;

/**
 * Twilio's {@code X-Twilio-Signature}: base64 HMAC-SHA1 under the account's auth token over the full URL Twilio
 * requested (for the Media Streams WebSocket upgrade there are no POST parameters). Like Twilio's helper
 * libraries, the URL is also tried without its port and with the scheme's default port, because Twilio's signing
 * side is inconsistent about ports.
 */
public final class TwilioSignature {

    private final String authToken;

    public TwilioSignature(String authToken) {
        this.authToken = authToken == null || authToken.isBlank() ? null : authToken;
    }

    public boolean configured() {
        return authToken != null;
    }

    /** The signature Twilio would send for {@code url}. */
    public String sign(String url) {
        return Base64.getEncoder().encodeToString(Hmac.mac("HmacSHA1", authToken, url));
    }

    /** Whether {@code signature} is valid for {@code url}. */
    public boolean valid(String url, String signature) {
        if (authToken == null || signature == null || signature.isBlank()) {
            return false;
        }
        boolean ok = false;
        for (String candidate : new String[] {url, withoutPort(url), withDefaultPort(url)}) {
            ok |= candidate != null && Hmac.equal(sign(candidate), signature);
        }
        return ok;
    }

    private static String withoutPort(String url) {
        URI uri = URI.create(url);
        if (uri.getPort() < 0) {
            return url;
        }
        return rebuild(uri, -1);
    }

    private static String withDefaultPort(String url) {
        URI uri = URI.create(url);
        if (uri.getPort() >= 0) {
            return url;
        }
        String scheme = uri.getScheme();
        int port = "https".equals(scheme) || "wss".equals(scheme) ? 443 : 80;
        return rebuild(uri, port);
    }

    private static String rebuild(URI uri, int port) {
        StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
        if (uri.getRawUserInfo() != null) {
            out.append(uri.getRawUserInfo()).append('@');
        }
        out.append(uri.getHost());
        if (port >= 0) {
            out.append(':').append(port);
        }
        out.append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            out.append('?').append(uri.getRawQuery());
        }
        return out.toString();
    }
}
