package io.sipai.edge.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Short-lived, single-use per-call tokens for the telephony media endpoints. api-gateway mints one when it answers a
 * provider webhook (it puts it in the TwiML {@code <Parameter>}s or the jambonz {@code listen} URL) and the edge
 * accepts it once, for that call only. Format: {@code v1.<expiry unix seconds>.<base64url(HMAC-SHA256(
 * TELEPHONY_TOKEN_SECRET, "v1\n" + callId + "\n" + tenantId + "\n" + expiry))>}, no padding. Used tokens are kept
 * in a bounded in-memory cache until they expire; tokens valid for longer than {@link #MAX_LIFETIME} are refused so
 * the cache stays bounded in time as well as size. Specified in docs/realtime-protocol.md.
 */
public final class TelephonyTokens {

    /** Longest lifetime a token may have. */
    public static final Duration MAX_LIFETIME = Duration.ofHours(1);

    /** Outcome of a check. */
    public enum Result { VALID, MISSING, MALFORMED, EXPIRED, WRONG_CALL, REPLAYED, CACHE_FULL }

    private final String secret;
    private final int cacheCapacity;
    private final LinkedHashMap<String, Long> used = new LinkedHashMap<>();

    public TelephonyTokens(String secret, int cacheCapacity) {
        this.secret = secret == null || secret.isBlank() ? null : secret;
        this.cacheCapacity = cacheCapacity;
    }

    public boolean configured() {
        return secret != null;
    }

    /** Mints a token for the call (what api-gateway does). */
    public String mint(String callId, String tenantId, Instant expiresAt) {
        long exp = expiresAt.getEpochSecond();
        return "v1." + exp + "." + mac(callId, tenantId, exp);
    }

    /** Checks the token for the call at {@code now}, and consumes it when valid. */
    public Result verify(String callId, String tenantId, String token, Instant now) {
        if (token == null || token.isBlank() || callId == null || tenantId == null) {
            return Result.MISSING;
        }
        String[] parts = token.split("\\.");
        if (secret == null || parts.length != 3 || !"v1".equals(parts[0]) || !parts[1].matches("\\d{1,12}")) {
            return Result.MALFORMED;
        }
        long exp = Long.parseLong(parts[1]);
        if (!Hmac.equal(mac(callId, tenantId, exp), parts[2])) {
            return Result.WRONG_CALL;
        }
        if (now.getEpochSecond() > exp) {
            return Result.EXPIRED;
        }
        if (exp - now.getEpochSecond() > MAX_LIFETIME.toSeconds()) {
            return Result.MALFORMED;
        }
        return consume(parts[2], exp, now.getEpochSecond());
    }

    private synchronized Result consume(String mac, long exp, long nowSec) {
        for (Iterator<Map.Entry<String, Long>> it = used.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() < nowSec) {
                it.remove();
            }
        }
        if (used.containsKey(mac)) {
            return Result.REPLAYED;
        }
        if (used.size() >= cacheCapacity) {
            return Result.CACHE_FULL;
        }
        used.put(mac, exp);
        return Result.VALID;
    }

    private String mac(String callId, String tenantId, long exp) {
        return Hmac.sha256Url(secret, "v1\n" + callId + "\n" + tenantId + "\n" + exp);
    }
}
