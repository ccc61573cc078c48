package io.sipai.edge.auth;

import java.time.Instant;

/**
 * HMAC-signed {@code /realtime/voice} URLs ({@code REALTIME_WS_SECRET}) for browsers that must not hold an API key:
 * {@code ?tenant=<tenantId>&exp=<unix seconds>&sig=<base64url HMAC-SHA256(secret, path + "\n" + tenant + "\n" +
 * exp)>}. See docs/realtime-protocol.md.
 */
public final class SignedUrls {

    /** Outcome of a check. */
    public enum Result { VALID, INVALID, EXPIRED }

    private final String secret;

    public SignedUrls(String secret) {
        this.secret = secret == null || secret.isBlank() ? null : secret;
    }

    public boolean configured() {
        return secret != null;
    }

    /** The signature for a path, tenant and expiry. */
    public String sign(String path, String tenant, long expiresEpochSec) {
        if (secret == null) {
            throw new IllegalStateException("REALTIME_WS_SECRET is not set");
        }
        return Hmac.sha256Url(secret, path + "\n" + tenant + "\n" + expiresEpochSec);
    }

    /** Checks the signature of a URL's parameters at {@code now}. */
    public Result verify(String path, String tenant, String exp, String sig, Instant now) {
        if (secret == null || tenant == null || exp == null || sig == null || !exp.matches("\\d{1,12}")) {
            return Result.INVALID;
        }
        long expires = Long.parseLong(exp);
        if (!Hmac.equal(sign(path, tenant, expires), sig)) {
            return Result.INVALID;
        }
        return now.getEpochSecond() > expires ? Result.EXPIRED : Result.VALID;
    }
}
